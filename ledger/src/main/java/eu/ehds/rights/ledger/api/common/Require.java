package eu.ehds.rights.ledger.api.common;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** Field checks shared by command constructors; each failure names the field. */
public final class Require {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:\\-]{8,128}");

    private Require() {
    }

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new InvalidRequestException(field + " is required");
        }
        return value;
    }

    public static String text(String value, String field, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field + " is required and must not be blank");
        }
        if (value.length() > maxLength) {
            throw new InvalidRequestException(field + " must have at most " + maxLength + " characters");
        }
        return value.strip();
    }

    public static List<String> texts(List<String> values, String field, int maxItems, int maxLength) {
        if (values == null || values.isEmpty()) {
            throw new InvalidRequestException(field + " must list at least one entry");
        }
        if (values.size() > maxItems) {
            throw new InvalidRequestException(field + " must list at most " + maxItems + " entries");
        }
        List<String> cleaned = values.stream().map(v -> text(v, field + " entry", maxLength)).toList();
        if (cleaned.stream().distinct().count() != cleaned.size()) {
            throw new InvalidRequestException(field + " must not list an entry twice");
        }
        return cleaned;
    }

    public static String idempotencyKey(String value) {
        if (value == null || !IDEMPOTENCY_KEY.matcher(value).matches()) {
            throw new InvalidRequestException(
                    "idempotencyKey is required: 8 to 128 characters among letters, digits and . _ : -");
        }
        return value;
    }

    public static String hex(String value, String field, int length) {
        if (value == null || value.length() != length || !lowercaseHex(value)) {
            throw new InvalidRequestException(field + " must be " + length + " lowercase hexadecimal characters");
        }
        return value;
    }

    /** Checked by hand: it runs for every command (a regular expression was compiled each time). */
    private static boolean lowercaseHex(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * What every command of a person's choice carries: the person (a pseudonym), how the request arrived, who recorded
     * it, when ({@code atField} names the instant), and its idempotency key.
     */
    public static void personChoice(String person, Channel channel, String recordedBy, Instant at,
                                    String atField, String idempotencyKey) {
        hex(person, "person pseudonym", 32);
        present(channel, "channel");
        text(recordedBy, "recordedBy", 200);
        present(at, atField);
        idempotencyKey(idempotencyKey);
    }

    /** Who recorded a command ({@code staff:admin}, {@code citizen}, …) and its idempotency key. */
    public static void recorded(String recordedBy, String idempotencyKey) {
        text(recordedBy, "recordedBy", 200);
        idempotencyKey(idempotencyKey);
    }
}
