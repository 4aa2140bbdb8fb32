package eu.ehds.rights.ledger.identity;

import java.math.BigInteger;
import java.util.Locale;

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
            throw new InvalidNirException("the NIR is missing");
        }
        String s = raw.replaceAll("[\\s.\\-]", "").toUpperCase(Locale.ROOT);
        if (s.length() != 15) {
            throw new InvalidNirException("a NIR has 15 characters (13 plus a 2-digit key), got " + s.length());
        }
        char sex = s.charAt(0);
        if ("123478".indexOf(sex) < 0) {
            throw new InvalidNirException("the first character of a NIR (sex) must be 1, 2, 3, 4, 7 or 8");
        }
        String department = s.substring(5, 7);
        boolean corsica = department.equals("2A") || department.equals("2B");
        for (int i = 0; i < 15; i++) {
            if ((i == 5 || i == 6) && corsica) {
                continue;
            }
            if (!Character.isDigit(s.charAt(i)) || s.charAt(i) > '9') {
                throw new InvalidNirException("a NIR holds digits only (except 2A or 2B for Corsica), position "
                        + (i + 1) + " is not a digit");
            }
        }
        int month = Integer.parseInt(s.substring(3, 5));
        if (month == 0 || (month > 12 && month < 20) || month > 42 && month < 50) {
            throw new InvalidNirException("the month of birth of a NIR (positions 4-5) is not valid");
        }
        int key = Integer.parseInt(s.substring(13));
        if (key < 1 || key > 97) {
            throw new InvalidNirException("the key of a NIR (last two digits) must be between 01 and 97");
        }
        if (key != expectedKey(s.substring(0, 13))) {
            throw new InvalidNirException("the key of the NIR does not match its first 13 characters");
        }
        return new Nir(s);
    }

    /** Key = 97 - (number mod 97); for Corsica, 2A counts as 19 and 2B as 18 in the number. */
    static int expectedKey(String body) {
        String numeric = body;
        if (body.substring(5, 7).equals("2A")) {
            numeric = body.substring(0, 5) + "19" + body.substring(7);
        } else if (body.substring(5, 7).equals("2B")) {
            numeric = body.substring(0, 5) + "18" + body.substring(7);
        }
        return 97 - new BigInteger(numeric).mod(BigInteger.valueOf(97)).intValue();
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
