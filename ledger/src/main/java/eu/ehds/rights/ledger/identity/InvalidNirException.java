package eu.ehds.rights.ledger.identity;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;

/** A NIR failed validation. The message names the problem and never quotes the identifier. */
public class InvalidNirException extends InvalidRequestException {

    public InvalidNirException(String message) {
        super("invalid NIR: " + message);
    }

    /** With a code pages translate ({@code refusal.<code>}), and its arguments. */
    public InvalidNirException(String code, String message, Object... arguments) {
        super(code, "invalid NIR: " + message, arguments);
    }
}
