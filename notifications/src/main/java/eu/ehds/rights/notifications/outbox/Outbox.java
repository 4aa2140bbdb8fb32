package eu.ehds.rights.notifications.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The notices to send, one row per finding and channel. Rows are added in the transaction that moves the delivery
 * processor's token (so a crash neither loses nor duplicates one: adding twice keeps the first); the worker takes the
 * due ones, records the outcome, retries failures later and, after the last attempt, leaves a dead letter for staff.
 */
public final class Outbox {

    public enum Status { PENDING, DONE, DEAD }

    /** A row of the outbox. {@code outcome} is DELIVERED or a suppression reason once DONE. */
    public record Entry(String findingId, String channel, String recipient, String person, Status status,
                        String outcome, int attempts, Instant nextAttemptAt, String lastError, boolean recorded,
                        Instant createdAt) {
    }

    private final DataSource dataSource;

    public Outbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Adds a pending notice unless the finding already has one on that channel; true if added. */
    public boolean enqueue(Connection c, String findingId, String channel, String recipient, String person,
                           Instant now) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement(
                "SELECT 1 FROM notification_outbox WHERE finding_id = ? AND channel = ?")) {
            exists.setString(1, findingId);
            exists.setString(2, channel);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO notification_outbox (finding_id, channel, "
                + "recipient, person, status, next_attempt_at) VALUES (?, ?, ?, ?, 'PENDING', ?)")) {
            insert.setString(1, findingId);
            insert.setString(2, channel);
            insert.setString(3, recipient);
            insert.setString(4, person);
            insert.setTimestamp(5, Timestamp.from(now));
            insert.executeUpdate();
            return true;
        }
    }

    /** Pending rows due by {@code now}, oldest first, and done rows whose outcome is not yet in the ledger. */
    public List<Entry> due(Instant now, int limit) {
        return query("SELECT " + COLUMNS + " FROM notification_outbox WHERE (status = 'PENDING' AND next_attempt_at <= ?)"
                + " OR (status = 'DONE' AND recorded = FALSE) ORDER BY next_attempt_at FETCH FIRST " + limit
                + " ROWS ONLY", Timestamp.from(now));
    }

    public List<Entry> dead() {
        return query("SELECT " + COLUMNS + " FROM notification_outbox WHERE status = 'DEAD' ORDER BY updated_at");
    }

    public List<Entry> forFinding(String findingId) {
        return query("SELECT " + COLUMNS + " FROM notification_outbox WHERE finding_id = ? ORDER BY channel", findingId);
    }

    /**
     * Claims a due pending notice for {@code worker} until {@code until}, unless another worker holds an unexpired
     * claim on it: one conditional update, so of several nodes sharing the outbox exactly one gets it. A node that dies
     * holding a claim lets it go when it expires. True if this worker now holds it.
     */
    public boolean claim(String findingId, String channel, String worker, Instant now, Instant until) {
        return update("UPDATE notification_outbox SET claimed_by = ?, claimed_until = ? WHERE finding_id = ? "
                + "AND channel = ? AND status = 'PENDING' AND next_attempt_at <= ? "
                + "AND (claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?)",
                worker, Timestamp.from(until), findingId, channel, Timestamp.from(now), Timestamp.from(now), worker) == 1;
    }

    /** The notice went out (or was suppressed, with its reason): done, whatever happens next. */
    public void done(String findingId, String channel, String outcome) {
        update("UPDATE notification_outbox SET status = 'DONE', outcome = ?, last_error = NULL, claimed_by = NULL, "
                + "claimed_until = NULL, updated_at = CURRENT_TIMESTAMP WHERE finding_id = ? AND channel = ? "
                + "AND status = 'PENDING'", outcome, findingId, channel);
    }

    public void recorded(String findingId, String channel) {
        update("UPDATE notification_outbox SET recorded = TRUE, updated_at = CURRENT_TIMESTAMP "
                + "WHERE finding_id = ? AND channel = ?", findingId, channel);
    }

    /**
     * A failed attempt by {@code worker}: counted, and tried again at {@code next}, or dead when {@code dead}. Only
     * while {@code worker} holds the claim: a node whose claim ran out must not release the node now sending.
     */
    public void failed(String findingId, String channel, String worker, String error, Instant next, boolean dead) {
        update("UPDATE notification_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, "
                + "status = ?, claimed_by = NULL, claimed_until = NULL, updated_at = CURRENT_TIMESTAMP "
                + "WHERE finding_id = ? AND channel = ? AND status = 'PENDING' AND claimed_by = ?",
                error.length() > 500 ? error.substring(0, 500) : error, Timestamp.from(next),
                dead ? "DEAD" : "PENDING", findingId, channel, worker);
    }

    /** Staff send a dead letter again: pending, attempts from zero; true if it was dead. */
    public boolean retry(String findingId, String channel, Instant now) {
        return update("UPDATE notification_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = ?, "
                + "updated_at = CURRENT_TIMESTAMP WHERE finding_id = ? AND channel = ? AND status = 'DEAD'",
                Timestamp.from(now), findingId, channel) > 0;
    }

    private static final String COLUMNS = "finding_id, channel, recipient, person, status, outcome, attempts, "
            + "next_attempt_at, last_error, recorded, created_at";

    private List<Entry> query(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                q.setObject(i + 1, params[i]);
            }
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Status.valueOf(rs.getString(5)), rs.getString(6), rs.getInt(7),
                            rs.getTimestamp(8).toInstant(), rs.getString(9), rs.getBoolean(10),
                            rs.getTimestamp(11).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the notification outbox", e);
        }
    }

    private int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement u = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                u.setObject(i + 1, params[i]);
            }
            return u.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not update the notification outbox", e);
        }
    }
}
