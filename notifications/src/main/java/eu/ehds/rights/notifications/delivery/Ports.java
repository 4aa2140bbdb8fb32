package eu.ehds.rights.notifications.delivery;

import eu.ehds.rights.ledger.api.finding.SuppressionReason;
import java.sql.Connection;
import java.sql.SQLException;

/** What the delivery needs from the application, each behind a small port. */
public final class Ports {

    private Ports() {
    }

    /** Whether the person objects to being informed of significant findings, as the ledger stands now. */
    @FunctionalInterface
    public interface ObjectionCheck {
        boolean objects(String person);
    }

    /** Records a channel's outcome in the ledger, once ({@code suppressedReason} null when delivered). */
    @FunctionalInterface
    public interface DeliveryRecorder {
        void record(String findingId, String channel, SuppressionReason suppressedReason);
    }

    /** An e-mail without any health detail; {@code messageId} is stable per finding and channel. */
    public record Email(String to, String subject, String text, String messageId) {
    }

    /** Sends e-mail through an SMTP server; throws on any failure (the outbox retries). */
    @FunctionalInterface
    public interface Mailer {
        void send(Email email) throws Exception;
    }

    /** Runs work on the connection of the current transaction (the delivery processor's, with its token). */
    @FunctionalInterface
    public interface Transactional {
        void run(SqlWork work) throws SQLException;
    }

    @FunctionalInterface
    public interface SqlWork {
        void run(Connection connection) throws SQLException;
    }
}
