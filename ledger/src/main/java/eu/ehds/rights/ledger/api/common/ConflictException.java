package eu.ehds.rights.ledger.api.common;

/** A well-formed command conflicts with what the ledger already holds (HTTP 409). */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
