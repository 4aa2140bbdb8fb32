package eu.ehds.rights.ledger.checkpoint;

/** A signed note or checkpoint that does not parse or verify. */
public class InvalidNoteException extends RuntimeException {

    public InvalidNoteException(String message) {
        super(message);
    }
}
