package eu.ehds.rights.notifications.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The portal inbox: which notices reached which person, and when they read them. Their text stays in the vault. */
public final class Inbox {

    public record Message(String findingId, String person, String projectId, String severity, Instant deliveredAt,
                          Instant readAt) {
    }

    private final DataSource dataSource;

    public Inbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Puts the notice in the person's inbox; a second delivery of the same finding changes nothing. */
    public void deliver(String findingId, String person, String projectId, String severity, Instant at) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM inbox_message WHERE finding_id = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO inbox_message (finding_id, person, project_id, "
                     + "severity, delivered_at) VALUES (?, ?, ?, ?, ?)")) {
            exists.setString(1, findingId);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            insert.setString(1, findingId);
            insert.setString(2, person);
            insert.setString(3, projectId);
            insert.setString(4, severity);
            insert.setTimestamp(5, Timestamp.from(at));
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) { // a concurrent delivery of the same finding won
                throw new IllegalStateException("could not deliver to the inbox", e);
            }
        }
    }

    public List<Message> of(String person) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT finding_id, person, project_id, severity, delivered_at, "
                     + "read_at FROM inbox_message WHERE person = ? ORDER BY delivered_at DESC")) {
            q.setString(1, person);
            List<Message> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Message(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant(), rs.getTimestamp(6) == null ? null
                            : rs.getTimestamp(6).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the inbox", e);
        }
    }

    public void markRead(String findingId, String person, Instant at) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement u = c.prepareStatement("UPDATE inbox_message SET read_at = ? "
                     + "WHERE finding_id = ? AND person = ? AND read_at IS NULL")) {
            u.setTimestamp(1, Timestamp.from(at));
            u.setString(2, findingId);
            u.setString(3, person);
            u.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not update the inbox", e);
        }
    }
}
