package eu.ehds.rights.ledger.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.axonframework.common.jdbc.ConnectionProvider;

/**
 * JDBC storage of the log: one row per leaf ({@code log_leaf}), the tree size ({@code log_head}, whose row lock
 * serialises appends so that leaf indexes follow commit order with no gap), issued checkpoints and idempotency
 * records. Connections come from the provider, so appends join the transaction that stores the events.
 */
public final class LogStore {

    private static final String LOCK = "SELECT tree_size FROM log_head WHERE id = 1 FOR UPDATE";
    private static final String TREE_SIZE = "SELECT tree_size FROM log_head WHERE id = 1";
    private static final String ADVANCE = "UPDATE log_head SET tree_size = ? WHERE id = 1";
    private static final String FIND = "SELECT idempotency_key, request_hash, aggregate_id, first_leaf, last_leaf "
            + "FROM idempotency_record WHERE idempotency_key = ANY (?)";

    /**
     * The batch's reads by their indexes, whatever the planner thinks of the tables: the driver keeps a statement
     * prepared on the server, and PostgreSQL may then reuse one generic plan for it, made while the tables were nearly
     * empty (a fresh ledger): a sequential scan of the whole event and idempotency tables in every batch, 12,800 in one
     * {@code bench append}. It holds until the writer's transaction ends (its other statements insert, or read by
     * key). Planning each batch's statements for their own values instead ({@code plan_cache_mode =
     * force_custom_plan}) cost about 0.17 ms of the server's time per batch ({@code pg_stat_statements}, 32 clients).
     */
    private static final String INDEX_PLANS = "SET LOCAL enable_seqscan = off";

    private final ConnectionProvider connections;
    private volatile Boolean postgres; // known at the first connection

    public LogStore(ConnectionProvider connections) {
        this.connections = connections;
    }

    /**
     * Reserves {@code count} leaf indexes in the caller's transaction and returns the first. The row lock taken
     * here is held until that transaction ends, so indexes follow commit order with no gap.
     */
    public long reserve(int count) {
        long size = lock();
        advance(size + count);
        return size;
    }

    /**
     * Takes the log's lock in the caller's transaction (held until it ends) and returns the tree size. A writer that
     * takes it before loading its aggregates validates them against everything committed before it: no other node can
     * append in between.
     */
    public long lock() {
        try (Connection c = connections.getConnection();
             PreparedStatement lock = c.prepareStatement(LOCK);
             ResultSet rs = lock.executeQuery()) {
            return treeSize(rs);
        } catch (SQLException e) {
            throw new LogStorageException("could not lock the log", e);
        }
    }

    private static long treeSize(ResultSet rs) throws SQLException {
        if (!rs.next()) {
            throw new IllegalStateException("log_head row missing: the schema migration did not run");
        }
        return rs.getLong(1);
    }

    /** The tree size a writer of a batch read (holding the log's lock, or not yet), and the records of its keys. */
    public record Locked(long treeSize, Map<String, IdempotencyRecord> requests) {
    }

    /** A query with one array parameter, run right after the lock is taken, and the reader of its rows. */
    public record AlsoRead(String sql, Collection<String> values, RowReader rows) {
    }

    @FunctionalInterface
    public interface RowReader {
        void read(ResultSet rows) throws SQLException;
    }

    /**
     * Takes the log's lock ({@link #lock}), then reads the records of these keys and runs {@code also}: on PostgreSQL
     * in one round trip (its driver sends the statements at once; the server runs them in order, so both reads see
     * everything committed before the lock was granted), elsewhere in three.
     */
    public Locked lock(Collection<String> idempotencyKeys, AlsoRead also) {
        try (Connection c = connections.getConnection()) {
            if (!postgres(c)) {
                long size = lock();
                Map<String, IdempotencyRecord> found = findRequests(idempotencyKeys);
                try (PreparedStatement q = c.prepareStatement(also.sql())) {
                    q.setArray(1, c.createArrayOf("VARCHAR", also.values().toArray()));
                    try (ResultSet rs = q.executeQuery()) {
                        also.rows().read(rs);
                    }
                }
                return new Locked(size, found);
            }
            return readTogether(c, LOCK, false, idempotencyKeys, also);
        } catch (SQLException e) {
            throw new LogStorageException("could not lock the log and read a batch's records", e);
        }
    }

    /**
     * The reads of {@link #lock(Collection, AlsoRead)} without the lock, for a writer that takes it only to append
     * ({@link #lock()}) and checks then what was appended since. Each statement sees what was committed when it began:
     * the tree size is read first, so anything a later read sees is counted in it or found appended since (the batch
     * looks outdated, never up to date); {@code also} (the aggregates' events) is read before the records, so an event
     * seen always comes with its request's record (a request is found already recorded, never refused for what it
     * recorded itself). PostgreSQL only ({@link #runsStatementsTogether}).
     */
    public Locked readUnlocked(Collection<String> idempotencyKeys, AlsoRead also) {
        try (Connection c = connections.getConnection()) {
            if (!postgres(c)) {
                throw new IllegalStateException("reading a batch without the log's lock needs PostgreSQL");
            }
            return readTogether(c, TREE_SIZE, true, idempotencyKeys, also);
        } catch (SQLException e) {
            throw new LogStorageException("could not read a batch's records", e);
        }
    }

    /**
     * Sends {@code treeSize} (with or without the lock) and the batch's two reads at once, and reads their results: the
     * records of the keys then {@code also}, or {@code also} first when {@code alsoFirst}.
     */
    private static Locked readTogether(Connection c, String treeSize, boolean alsoFirst,
                                       Collection<String> idempotencyKeys, AlsoRead also) throws SQLException {
        String reads = alsoFirst ? also.sql() + "; " + FIND : FIND + "; " + also.sql();
        try (PreparedStatement q = c.prepareStatement(INDEX_PLANS + "; " + treeSize + "; " + reads)) {
            q.setArray(alsoFirst ? 2 : 1, c.createArrayOf("VARCHAR", idempotencyKeys.toArray()));
            q.setArray(alsoFirst ? 1 : 2, c.createArrayOf("VARCHAR", also.values().toArray()));
            q.execute(); // its first result is the SET's
            long size;
            try (ResultSet rs = nextResult(q)) {
                size = treeSize(rs);
            }
            if (alsoFirst) {
                readAlso(q, also);
            }
            Map<String, IdempotencyRecord> found;
            try (ResultSet rs = nextResult(q)) {
                found = records(rs);
            }
            if (!alsoFirst) {
                readAlso(q, also);
            }
            return new Locked(size, found);
        }
    }

    private static void readAlso(PreparedStatement q, AlsoRead also) throws SQLException {
        try (ResultSet rs = nextResult(q)) {
            also.rows().read(rs);
        }
    }

    private static ResultSet nextResult(PreparedStatement q) throws SQLException {
        q.getMoreResults();
        return q.getResultSet();
    }

    /** The event identifiers of these leaves, by leaf index (those stored). */
    public Map<Long, String> eventIdsAt(Collection<Long> leafIndexes) {
        try (Connection c = connections.getConnection();
             PreparedStatement q = c.prepareStatement(
                     "SELECT leaf_index, event_identifier FROM log_leaf WHERE leaf_index = ANY (?)")) {
            q.setArray(1, c.createArrayOf("BIGINT", leafIndexes.toArray()));
            Map<Long, String> found = new HashMap<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getLong(1), rs.getString(2));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new LogStorageException("could not read the log's leaves", e);
        }
    }

    private boolean postgres(Connection c) throws SQLException {
        Boolean known = postgres;
        if (known == null) {
            known = "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
            postgres = known;
        }
        return known;
    }

    /** Sets the tree size, the caller's transaction holding the lock ({@link #lock}). */
    public void advance(long treeSize) {
        try (Connection c = connections.getConnection();
             PreparedStatement update = c.prepareStatement(ADVANCE)) {
            update.setLong(1, treeSize);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new LogStorageException("could not reserve leaves in the log", e);
        }
    }

    /**
     * Inserts leaves from index {@code first} on (reserved by {@link #reserve}) and the idempotency records of the
     * requests (whose leaf numbers are relative to {@code first}), in the caller's transaction.
     */
    public void insert(long first, List<LogLeaf> leaves, List<IdempotencyRecord> requests) {
        try (Connection c = connections.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO log_leaf (leaf_index, event_identifier, leaf_hash) VALUES (?, ?, ?)")) {
                long index = first;
                for (LogLeaf leaf : leaves) {
                    insert.setLong(1, index++);
                    insert.setString(2, leaf.eventId());
                    insert.setBytes(3, leaf.leafHash());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            if (!requests.isEmpty()) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO idempotency_record "
                        + "(idempotency_key, request_hash, aggregate_id, first_leaf, last_leaf) VALUES (?, ?, ?, ?, ?)")) {
                    for (IdempotencyRecord r : requests) {
                        insert.setString(1, r.idempotencyKey());
                        insert.setString(2, r.requestHash());
                        insert.setString(3, r.aggregateId());
                        insert.setLong(4, first + r.firstLeaf());
                        insert.setLong(5, first + r.lastLeaf());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
        } catch (SQLException e) {
            throw new LogStorageException("could not append to the log", e);
        }
    }

    /** Rows inserted from arrays, one per column ({@code unnest}): the SQL and each column's SQL type and values. */
    public record ArrayInsert(String sql, List<String> types, List<Object[]> columns) {
    }

    /** Whether the database runs several statements sent at once (PostgreSQL), as {@link #appendAndCommit} needs. */
    public boolean runsStatementsTogether() {
        Boolean known = postgres;
        if (known != null) { // asked for each batch: no connection taken from the pool once known
            return known;
        }
        try (Connection c = connections.getConnection()) {
            return postgres(c);
        } catch (SQLException e) {
            throw new LogStorageException("could not reach the log's database", e);
        }
    }

    /**
     * Inserts {@code events}, sets the tree size past these leaves and inserts them from index {@code first} on, with
     * the records of their requests (leaf numbers relative to {@code first}), then commits the caller's transaction, all
     * in one round trip, rows passed as arrays; the caller's transaction holds the lock ({@link #lock}) and does nothing
     * after this. Its own commit then sends nothing (the driver sends no COMMIT outside a transaction); if a statement
     * fails, the server skips the rest, COMMIT included, and the caller rolls back. PostgreSQL only
     * ({@link #runsStatementsTogether}); elsewhere a writer calls {@link #advance} and {@link #insert}.
     */
    public void appendAndCommit(long first, List<LogLeaf> leaves, List<IdempotencyRecord> requests,
                                ArrayInsert events) {
        try (Connection c = connections.getConnection()) {
            int n = leaves.size();
            Long[] indexes = new Long[n];
            String[] eventIds = new String[n];
            byte[][] hashes = new byte[n][];
            for (int i = 0; i < n; i++) {
                indexes[i] = first + i;
                eventIds[i] = leaves.get(i).eventId();
                hashes[i] = leaves.get(i).leafHash();
            }
            int m = requests.size();
            String[] keys = new String[m];
            String[] hashesOfRequests = new String[m];
            String[] aggregates = new String[m];
            Long[] firstLeaves = new Long[m];
            Long[] lastLeaves = new Long[m];
            for (int i = 0; i < m; i++) {
                IdempotencyRecord r = requests.get(i);
                keys[i] = r.idempotencyKey();
                hashesOfRequests[i] = r.requestHash();
                aggregates[i] = r.aggregateId();
                firstLeaves[i] = first + r.firstLeaf();
                lastLeaves[i] = first + r.lastLeaf();
            }
            ArrayInsert log = new ArrayInsert(ADVANCE + "; "
                    + "INSERT INTO log_leaf (leaf_index, event_identifier, leaf_hash) "
                    + "SELECT * FROM unnest(?::bigint[], ?::varchar[], ?::bytea[]); "
                    + "INSERT INTO idempotency_record "
                    + "(idempotency_key, request_hash, aggregate_id, first_leaf, last_leaf) "
                    + "SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[], ?::bigint[])",
                    List.of("bigint", "varchar", "bytea", "varchar", "varchar", "varchar", "bigint", "bigint"),
                    List.of(indexes, eventIds, hashes, keys, hashesOfRequests, aggregates, firstLeaves, lastLeaves));
            // COMMIT sent with the inserts: a batch's third round trip saved
            try (PreparedStatement q = c.prepareStatement(events.sql() + "; " + log.sql() + "; COMMIT")) {
                int parameter = bind(c, q, 1, events);
                q.setLong(parameter++, first + n);
                bind(c, q, parameter, log);
                q.execute();
            }
        } catch (SQLException e) {
            throw new LogStorageException("could not append to the log", e);
        }
    }

    private static int bind(Connection c, PreparedStatement q, int first, ArrayInsert insert) throws SQLException {
        int parameter = first;
        for (int i = 0; i < insert.columns().size(); i++) {
            q.setArray(parameter++, c.createArrayOf(insert.types().get(i), insert.columns().get(i)));
        }
        return parameter;
    }

    /** Streams committed leaf hashes from {@code from} on, in order, stopping at the first gap. */
    public long readLeafHashes(long from, Consumer<byte[]> sink) {
        try (Connection c = connections.getConnection();
             PreparedStatement q = c.prepareStatement(
                     "SELECT leaf_index, leaf_hash FROM log_leaf WHERE leaf_index >= ? ORDER BY leaf_index")) {
            q.setLong(1, from);
            q.setFetchSize(10_000);
            long next = from;
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next() && rs.getLong(1) == next) {
                    sink.accept(rs.getBytes(2));
                    next++;
                }
            }
            return next - from;
        } catch (SQLException e) {
            throw new LogStorageException("could not read the log", e);
        }
    }

    public Optional<IdempotencyRecord> findRequest(String idempotencyKey) {
        return Optional.ofNullable(findRequests(List.of(idempotencyKey)).get(idempotencyKey));
    }

    /** The records of those keys that exist, by key: one query for a whole batch. */
    public Map<String, IdempotencyRecord> findRequests(Collection<String> idempotencyKeys) {
        if (idempotencyKeys.isEmpty()) {
            return new HashMap<>();
        }
        try (Connection c = connections.getConnection();
             PreparedStatement q = c.prepareStatement(FIND)) {
            q.setArray(1, c.createArrayOf("VARCHAR", idempotencyKeys.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                return records(rs);
            }
        } catch (SQLException e) {
            throw new LogStorageException("could not read idempotency records", e);
        }
    }

    private static Map<String, IdempotencyRecord> records(ResultSet rs) throws SQLException {
        Map<String, IdempotencyRecord> found = new HashMap<>();
        while (rs.next()) {
            found.put(rs.getString(1), new IdempotencyRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                    rs.getLong(4), rs.getLong(5)));
        }
        return found;
    }

    public void saveCheckpoint(long treeSize, byte[] rootHash, String note) {
        try (Connection c = connections.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO log_checkpoint (tree_size, root_hash, note) VALUES (?, ?, ?)")) {
            insert.setLong(1, treeSize);
            insert.setBytes(2, rootHash);
            insert.setString(3, note);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) { // another request issued the same checkpoint first
                throw new LogStorageException("could not store a checkpoint", e);
            }
        }
    }

    /** A checkpoint as stored: the signed note text and the size it covers. */
    public record StoredCheckpoint(long treeSize, byte[] rootHash, String note) {
    }

    public Optional<StoredCheckpoint> latestCheckpoint() {
        List<StoredCheckpoint> found = checkpoints("SELECT tree_size, root_hash, note FROM log_checkpoint "
                + "ORDER BY tree_size DESC FETCH FIRST 1 ROWS ONLY");
        return found.stream().findFirst();
    }

    /** The most recent checkpoints, largest tree size first. */
    public List<StoredCheckpoint> latestCheckpoints(int limit) {
        return checkpoints("SELECT tree_size, root_hash, note FROM log_checkpoint ORDER BY tree_size DESC "
                + "FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY");
    }

    /** The checkpoints whose tree sizes lie in {@code [from, to]}, smallest first. */
    public List<StoredCheckpoint> checkpointsBetween(long from, long to) {
        return checkpoints("SELECT tree_size, root_hash, note FROM log_checkpoint WHERE tree_size >= " + from
                + " AND tree_size <= " + to + " ORDER BY tree_size");
    }

    /** The checkpoint issued at exactly {@code treeSize}, if one was. */
    public Optional<StoredCheckpoint> checkpointAt(long treeSize) {
        return checkpoints("SELECT tree_size, root_hash, note FROM log_checkpoint WHERE tree_size = " + treeSize)
                .stream().findFirst();
    }

    /** The stored checkpoints nearest to {@code treeSize}: the largest below it and the smallest above it. */
    public List<StoredCheckpoint> checkpointsAround(long treeSize) {
        List<StoredCheckpoint> around = new ArrayList<>(checkpoints("SELECT tree_size, root_hash, note FROM "
                + "log_checkpoint WHERE tree_size < " + treeSize + " ORDER BY tree_size DESC FETCH FIRST 1 ROWS ONLY"));
        around.addAll(checkpoints("SELECT tree_size, root_hash, note FROM log_checkpoint WHERE tree_size > "
                + treeSize + " ORDER BY tree_size FETCH FIRST 1 ROWS ONLY"));
        return around;
    }

    public List<StoredCheckpoint> allCheckpoints() {
        return checkpoints("SELECT tree_size, root_hash, note FROM log_checkpoint ORDER BY tree_size");
    }

    private List<StoredCheckpoint> checkpoints(String sql) {
        try (Connection c = connections.getConnection();
             PreparedStatement q = c.prepareStatement(sql);
             ResultSet rs = q.executeQuery()) {
            List<StoredCheckpoint> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new StoredCheckpoint(rs.getLong(1), rs.getBytes(2), rs.getString(3)));
            }
            return out;
        } catch (SQLException e) {
            throw new LogStorageException("could not read checkpoints", e);
        }
    }
}
