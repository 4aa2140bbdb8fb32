package eu.ehds.rights.portal.ledger;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Whether a failure means the database cannot serve the request now (down, restarting, out of connections, or busy: a
 * lock not granted within the lock timeout, as when another node froze holding the log's lock; or a record locked in the
 * node by a registry import's batch that waits for the log's lock held by this request's batch) rather than that the
 * request was wrong: such a request is answered 503 with {@code Retry-After}, and sent again with the same idempotency
 * key it is recorded once.
 */
public final class StorageOutage {

    /** Seconds a client should wait before sending the request again. */
    public static final int RETRY_AFTER_SECONDS = 2;
    public static final String MESSAGE = "the ledger's database is busy or cannot be reached at the moment; send the "
            + "same request again (with the same idempotencyKey) in a few seconds: it will be recorded once";

    private StorageOutage() {
    }

    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException || t instanceof java.net.ConnectException
                    || t instanceof org.springframework.dao.PessimisticLockingFailureException
                    || t instanceof org.axonframework.common.lock.LockAcquisitionFailedException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && unavailable(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** A one-line reason for the log: the deepest message, which names the server's state and no person. */
    public static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    // 08: connection exception; 57P01-03: administrator or crash shutdown, cannot connect now; 53300: too many
    // connections; 55P03: lock not available (lock timeout); 40001, 40P01: serialization failure, deadlock; 25P03: the
    // session's idle transaction was ended; HYT00: H2's lock timeout.
    private static boolean unavailable(String state) {
        return state.startsWith("08") || state.startsWith("57P") || state.equals("53300") || state.equals("55P03")
                || state.equals("40001") || state.equals("40P01") || state.equals("25P03") || state.equals("HYT00");
    }
}
