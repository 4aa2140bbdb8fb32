package eu.ehds.rights.ledger.api.common;

import java.util.List;

/**
 * A command or query is malformed or breaks a rule of its own fields: the caller must change it (HTTP 400). A refusal
 * a person may meet on a page also carries a stable {@code code} (and its arguments), which pages translate; the
 * message is the API's English sentence.
 */
public class InvalidRequestException extends RuntimeException {

    private final String code;
    private final List<Object> arguments;

    public InvalidRequestException(String message) {
        this(null, message);
    }

    /** A refusal with a code that pages translate ({@code refusal.<code>} in the message bundles). */
    public InvalidRequestException(String code, String message, Object... arguments) {
        super(message);
        this.code = code;
        this.arguments = List.of(arguments);
    }

    /** The refusal's stable code, or null when it has none. */
    public String code() {
        return code;
    }

    public List<Object> arguments() {
        return arguments;
    }
}
