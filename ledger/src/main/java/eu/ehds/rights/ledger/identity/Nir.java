package eu.ehds.rights.ledger.identity;


/**
 * A French national health identifier (NIR: 13 characters and a 2-digit control key), validated.
 *
 * <p>The value is only held long enough to pseudonymise it: {@link #toString()} never reveals it and no
 * exception message quotes it.
 *
 * <pre>{@code
 * String pseudonym = pseudonymiser.pseudonymise(Nir.parse("2 84 05 2A 004 018 09"));
 * }</pre>
 */
public final class Nir {

    private final String value;

    private Nir(String value) {
        this.value = value;
    }

    /**
     * Parses and validates a NIR. Spaces, dots and dashes between groups are accepted.
     *
     * @throws InvalidNirException naming what is wrong, without quoting the input
     */
    public static Nir parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidNirException("nir.missing", "the NIR is missing");
        }
        // one pass, no regex: extract files hold millions of these
        char[] c = new char[15];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch == ' ' || ch == '.' || ch == '-' || ch == '\t') {
                continue;
            }
            if (n == 15) {
                n++;
                break;
            }
            c[n++] = ch >= 'a' && ch <= 'z' ? (char) (ch - 32) : ch;
        }
        if (n != 15) {
            throw n > 15 ? new InvalidNirException("nir.too-long", "a NIR has 15 characters (13 plus a 2-digit key), got more")
                    : new InvalidNirException("nir.length", "a NIR has 15 characters (13 plus a 2-digit key), got " + n, n);
        }
        if ("123478".indexOf(c[0]) < 0) {
            throw new InvalidNirException("nir.sex", "the first character of a NIR (sex) must be 1, 2, 3, 4, 7 or 8");
        }
        boolean corsica = c[5] == '2' && (c[6] == 'A' || c[6] == 'B');
        long number = 0;
        for (int i = 0; i < 13; i++) {
            int digit;
            if (corsica && i == 5) {
                digit = 1; // 2A counts as 19 and 2B as 18
            } else if (corsica && i == 6) {
                digit = c[6] == 'A' ? 9 : 8;
            } else if (c[i] >= '0' && c[i] <= '9') {
                digit = c[i] - '0';
            } else {
                throw new InvalidNirException("nir.digit", "a NIR holds digits only (except 2A or 2B for Corsica), "
                        + "position " + (i + 1) + " is not a digit", i + 1);
            }
            number = number * 10 + digit;
        }
        if (c[13] < '0' || c[13] > '9' || c[14] < '0' || c[14] > '9') {
            int position = c[13] < '0' || c[13] > '9' ? 14 : 15;
            throw new InvalidNirException("nir.digit", "a NIR holds digits only (except 2A or 2B for Corsica), "
                    + "position " + position + " is not a digit", position);
        }
        int month = (c[3] - '0') * 10 + (c[4] - '0');
        if (month == 0 || (month > 12 && month < 20) || month > 42 && month < 50) {
            throw new InvalidNirException("nir.month", "the month of birth of a NIR (positions 4-5) is not valid");
        }
        int key = (c[13] - '0') * 10 + (c[14] - '0');
        if (key < 1 || key > 97) {
            throw new InvalidNirException("nir.key-range", "the key of a NIR (last two digits) must be between 01 and 97");
        }
        if (key != 97 - (int) (number % 97)) {
            throw new InvalidNirException("nir.key", "the key of the NIR does not match its first 13 characters");
        }
        return new Nir(new String(c));
    }

    /** The canonical 15-character form, for pseudonymisation only. */
    String canonical() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Nir other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "Nir[redacted]";
    }
}
