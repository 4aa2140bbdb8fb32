package eu.ehds.rights.ledger.api.common;

/** A command or query is malformed or breaks a rule of its own fields: the caller must change it (HTTP 400). */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
