package eu.ehds.rights.notifications.delivery;

import eu.ehds.rights.ledger.api.finding.DeliveryChannel;
import eu.ehds.rights.ledger.api.finding.Recipient;
import eu.ehds.rights.ledger.api.finding.SignificantFindingAcknowledged;
import eu.ehds.rights.ledger.api.finding.SignificantFindingReported;
import eu.ehds.rights.notifications.outbox.Outbox;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * Turns an acknowledged finding into notices to send: for the person, their portal inbox and an e-mail; for a
 * treating professional, an e-mail. It runs in the delivery processor's transaction (persistent token), so the
 * notices are written exactly once whatever crashes: a replayed event finds its rows already there.
 */
@ProcessingGroup(FindingDeliveryReaction.PROCESSING_GROUP)
public class FindingDeliveryReaction {

    public static final String PROCESSING_GROUP = "finding-delivery";

    private final Ports.Transactional transaction;
    private final Outbox outbox;
    private final Clock clock;
    private final Runnable wakeUp;

    /** @param wakeUp called after notices were added, so that the worker sends them without waiting for its poll */
    public FindingDeliveryReaction(Ports.Transactional transaction, Outbox outbox, Clock clock, Runnable wakeUp) {
        this.transaction = transaction;
        this.outbox = outbox;
        this.clock = clock;
        this.wakeUp = wakeUp;
    }

    @EventHandler
    void on(SignificantFindingReported event) throws SQLException {
        transaction.run(c -> {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM notification_finding WHERE finding_id = ?")) {
                exists.setString(1, event.findingId());
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO notification_finding (finding_id, "
                    + "project_id, person, severity) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, event.findingId());
                insert.setString(2, event.projectId());
                insert.setString(3, event.person());
                insert.setString(4, event.severity().name());
                insert.executeUpdate();
            }
        });
    }

    @EventHandler
    void on(SignificantFindingAcknowledged event) throws SQLException {
        transaction.run(c -> {
            String person;
            try (PreparedStatement q = c.prepareStatement("SELECT person FROM notification_finding WHERE finding_id = ?")) {
                q.setString(1, event.findingId());
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("finding " + event.findingId() + " acknowledged before reported");
                    }
                    person = rs.getString(1);
                }
            }
            try (PreparedStatement u = c.prepareStatement(
                    "UPDATE notification_finding SET data_holder = ? WHERE finding_id = ?")) {
                u.setString(1, event.dataHolder());
                u.setString(2, event.findingId());
                u.executeUpdate();
            }
            if (event.recipient() == Recipient.PERSON) {
                outbox.enqueue(c, event.findingId(), DeliveryChannel.PORTAL_INBOX.name(), event.recipient().name(),
                        person, clock.instant());
            }
            outbox.enqueue(c, event.findingId(), DeliveryChannel.EMAIL.name(), event.recipient().name(), person,
                    clock.instant());
        });
        // the worker can only see the notices once this transaction commits
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> wakeUp.run());
        } else {
            wakeUp.run();
        }
    }
}
