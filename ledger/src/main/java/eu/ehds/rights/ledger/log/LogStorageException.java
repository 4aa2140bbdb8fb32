package eu.ehds.rights.ledger.log;

/** The log's database failed; the surrounding transaction is rolled back. */
public class LogStorageException extends RuntimeException {

    public LogStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
