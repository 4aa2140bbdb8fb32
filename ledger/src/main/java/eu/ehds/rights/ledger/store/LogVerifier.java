package eu.ehds.rights.ledger.store;

import eu.ehds.rights.ledger.checkpoint.Checkpoint;
import eu.ehds.rights.ledger.checkpoint.InvalidNoteException;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.ledger.log.LeafCodec;
import eu.ehds.rights.ledger.log.LogStore;
import eu.ehds.rights.ledger.log.MerkleHashes;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.axonframework.common.jdbc.ConnectionProvider;

/**
 * Re-derives the whole log from the event store and checks it: every leaf is rebuilt from its stored event and
 * compared with the recorded leaf hash, every event must be in the log, and the roots rebuilt from the events
 * must match every checkpoint ever issued, whose signatures are checked too.
 */
public final class LogVerifier {

    /** The outcome; {@code firstBadLeaf} is -1 when every leaf matched. */
    public record Report(long treeSize, long eventsInStore, int checkpointsChecked, long firstBadLeaf,
                         List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private static final int MAX_PROBLEMS = 100;

    private final ConnectionProvider connections;
    private final LogStore store;
    private final NoteVerifier noteVerifier;
    private final LeafCodec codec = new LeafCodec();

    public LogVerifier(ConnectionProvider connections, LogStore store, NoteVerifier noteVerifier) {
        this.connections = connections;
        this.store = store;
        this.noteVerifier = noteVerifier;
    }

    public Report verify() {
        List<String> problems = new ArrayList<>();
        Iterator<LogStore.StoredCheckpoint> checkpoints = store.allCheckpoints().iterator();
        LogStore.StoredCheckpoint nextCheckpoint = checkpoints.hasNext() ? checkpoints.next() : null;
        int checked = 0;
        CompactRange range = new CompactRange();
        long firstBad = -1;
        long expected = 0;
        long events;
        try (Connection c = connections.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // lets PostgreSQL stream the result instead of loading it whole
            try (PreparedStatement q = c.prepareStatement("SELECT l.leaf_index, l.leaf_hash, l.event_identifier, "
                    + "e.aggregate_identifier, e.sequence_number, e.time_stamp, e.payload_type, e.payload_revision, "
                    + "e.payload FROM log_leaf l LEFT JOIN domain_event_entry e "
                    + "ON e.event_identifier = l.event_identifier ORDER BY l.leaf_index")) {
                q.setFetchSize(5_000);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        long index = rs.getLong(1);
                        if (index != expected) {
                            firstBad = firstBad < 0 ? expected : firstBad;
                            add(problems, "leaf " + expected + " is missing from the log");
                            break;
                        }
                        byte[] recorded = rs.getBytes(2);
                        String eventId = rs.getString(3);
                        byte[] rebuilt;
                        if (rs.getString(4) == null) {
                            add(problems, "leaf " + index + ": event " + eventId + " is missing from the event store");
                            rebuilt = recorded;
                            firstBad = firstBad < 0 ? index : firstBad;
                        } else {
                            rebuilt = MerkleHashes.leafHash(codec.leafBytes(eventId, rs.getString(4), rs.getLong(5),
                                    LogAppendingStorageEngine.storedTimestamp(Instant.parse(rs.getString(6))),
                                    rs.getString(7), rs.getString(8), rs.getBytes(9)));
                            if (!MessageDigest.isEqual(rebuilt, recorded)) {
                                add(problems, "leaf " + index + ": event " + eventId
                                        + " no longer matches its leaf hash (altered after it was logged)");
                                firstBad = firstBad < 0 ? index : firstBad;
                            }
                        }
                        range.append(rebuilt);
                        expected++;
                        while (nextCheckpoint != null && nextCheckpoint.treeSize() == expected) {
                            checkCheckpoint(nextCheckpoint, range.root(), problems);
                            checked++;
                            nextCheckpoint = checkpoints.hasNext() ? checkpoints.next() : null;
                        }
                    }
                }
            } finally {
                c.commit();
                c.setAutoCommit(autoCommit);
            }
            while (nextCheckpoint != null && nextCheckpoint.treeSize() == 0) {
                checkCheckpoint(nextCheckpoint, MerkleHashes.emptyRoot(), problems);
                checked++;
                nextCheckpoint = checkpoints.hasNext() ? checkpoints.next() : null;
            }
            if (nextCheckpoint != null) {
                add(problems, "checkpoint at tree size " + nextCheckpoint.treeSize()
                        + " covers leaves that the log no longer holds (size " + expected + ")");
            }
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM domain_event_entry");
                 ResultSet rs = q.executeQuery()) {
                rs.next();
                events = rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the event store: " + e.getMessage(), e);
        }
        if (events != expected) {
            add(problems, "the event store holds " + events + " events but the log has " + expected + " leaves");
        }
        return new Report(expected, events, checked, firstBad, List.copyOf(problems));
    }

    private void checkCheckpoint(LogStore.StoredCheckpoint stored, byte[] rebuiltRoot, List<String> problems) {
        try {
            Checkpoint signed = noteVerifier.verify(stored.note());
            if (signed.treeSize() != stored.treeSize() || !MessageDigest.isEqual(signed.rootHash(), stored.rootHash())) {
                add(problems, "checkpoint " + stored.treeSize() + ": stored root differs from the signed note");
            }
            if (!MessageDigest.isEqual(signed.rootHash(), rebuiltRoot)) {
                add(problems, "checkpoint " + stored.treeSize()
                        + ": the root rebuilt from the events differs from the signed root");
            }
        } catch (InvalidNoteException e) {
            add(problems, "checkpoint " + stored.treeSize() + ": " + e.getMessage());
        }
    }

    private static void add(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        }
    }

    /** The right edge of a growing tree: hashes of its complete subtrees, largest first. */
    static final class CompactRange {
        private final Deque<byte[]> hashes = new ArrayDeque<>();
        private final Deque<Long> sizes = new ArrayDeque<>();

        void append(byte[] leafHash) {
            byte[] hash = leafHash;
            long size = 1;
            while (!sizes.isEmpty() && sizes.peekLast() == size) {
                hash = MerkleHashes.nodeHash(hashes.pollLast(), hash);
                size += sizes.pollLast();
            }
            hashes.addLast(hash);
            sizes.addLast(size);
        }

        byte[] root() {
            if (hashes.isEmpty()) {
                return MerkleHashes.emptyRoot();
            }
            Iterator<byte[]> fromRight = hashes.descendingIterator();
            byte[] root = fromRight.next();
            while (fromRight.hasNext()) {
                root = MerkleHashes.nodeHash(fromRight.next(), root);
            }
            return root;
        }
    }
}
