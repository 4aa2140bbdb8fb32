package eu.ehds.rights.ledger.api.common;

/** A command or query names something the ledger does not hold (HTTP 404). */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
