package eu.ehds.rights.ledger.store;

import eu.ehds.rights.ledger.log.LeafCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Consumer;
import org.axonframework.common.jdbc.ConnectionProvider;

/**
 * Reads log leaves together with the stored events they stand for, rebuilding each leaf's bytes from the event
 * store alone. Used by the verifier and the auditors' entries API.
 */
public final class StoredLeaves {

    /** A leaf as recorded, and its bytes rebuilt from the event store ({@code null} when the event is gone). */
    public record StoredLeaf(long leafIndex, String eventId, byte[] recordedHash, byte[] leafBytes) {
    }

    private final ConnectionProvider connections;
    private final LeafCodec codec = new LeafCodec();

    public StoredLeaves(ConnectionProvider connections) {
        this.connections = connections;
    }

    /** Streams leaves with index in [start, end), in order. */
    public void forEach(long start, long end, Consumer<StoredLeaf> sink) {
        try (Connection c = connections.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // lets PostgreSQL stream the rows instead of loading them all
            try (PreparedStatement q = c.prepareStatement("SELECT l.leaf_index, l.leaf_hash, l.event_identifier, "
                    + "e.aggregate_identifier, e.sequence_number, e.time_stamp, e.payload_type, e.payload_revision, "
                    + "e.payload FROM log_leaf l LEFT JOIN domain_event_entry e "
                    + "ON e.event_identifier = l.event_identifier "
                    + "WHERE l.leaf_index >= ? AND l.leaf_index < ? ORDER BY l.leaf_index")) {
                q.setLong(1, start);
                q.setLong(2, end);
                q.setFetchSize(5_000);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String eventId = rs.getString(3);
                        byte[] leaf = rs.getString(4) == null ? null : codec.leafBytes(eventId, rs.getString(4),
                                rs.getLong(5), LogAppendingStorageEngine.storedTimestamp(Instant.parse(rs.getString(6))),
                                rs.getString(7), rs.getString(8), rs.getBytes(9));
                        sink.accept(new StoredLeaf(rs.getLong(1), eventId, rs.getBytes(2), leaf));
                    }
                }
            } finally {
                c.commit();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the event store: " + e.getMessage(), e);
        }
    }

    public long countEvents() {
        try (Connection c = connections.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM domain_event_entry");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not count events: " + e.getMessage(), e);
        }
    }
}
