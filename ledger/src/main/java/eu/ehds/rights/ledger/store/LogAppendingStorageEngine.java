package eu.ehds.rights.ledger.store;

import eu.ehds.rights.ledger.log.IdempotencyRecord;
import eu.ehds.rights.ledger.log.LeafCodec;
import eu.ehds.rights.ledger.log.LogLeaf;
import eu.ehds.rights.ledger.log.LogStorageException;
import eu.ehds.rights.ledger.log.LogStore;
import eu.ehds.rights.ledger.log.MerkleHashes;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;

/**
 * Stores events through Axon's engine and, in the same transaction, appends one log leaf per event. A
 * transaction that fails to append leaves stores no event either, so the log and the store never diverge.
 */
public final class LogAppendingStorageEngine implements EventStorageEngine {

    /** Metadata keys that the command dispatcher sets and events inherit (in memory: they are not stored). */
    public static final String IDEMPOTENCY_KEY = "idempotencyKey";
    public static final String REQUEST_HASH = "requestHash";
    /** Metadata key under which every stored event carries its leaf index. */
    public static final String LEAF_INDEX = "leafIndex";

    /** Resources of a root unit of work that took the lock ({@link #lockLog}): the events it read, by aggregate; ... */
    private static final String PREFETCHED = LogAppendingStorageEngine.class.getName() + ".prefetched";
    /** ... the tree size; the requests it appended, by key. */
    private static final String TREE_SIZE = LogAppendingStorageEngine.class.getName() + ".treeSize";
    private static final String APPENDED = LogAppendingStorageEngine.class.getName() + ".appended";
    /** A batch that read without the lock ({@link #readLog}): the tree size it read; the batches it runs beside. */
    private static final String READ_AT = LogAppendingStorageEngine.class.getName() + ".readAt";
    private static final String BATCHES = LogAppendingStorageEngine.class.getName() + ".batches";
    /** Set once a batch's append has committed its transaction (PostgreSQL: {@link LogStore#appendAndCommit}). */
    private static final String COMMITTED = LogAppendingStorageEngine.class.getName() + ".committed";

    private final EventStorageEngine delegate;
    private final Serializer eventSerializer;
    private final LogStore log;
    private final LeafCodec codec = new LeafCodec();

    public LogAppendingStorageEngine(EventStorageEngine delegate, Serializer eventSerializer, LogStore log) {
        this.delegate = delegate;
        this.eventSerializer = eventSerializer;
        this.log = log;
    }

    /**
     * Takes the log's lock for the current unit of work (until its transaction ends), before it loads any aggregate,
     * and reads the idempotency records of these keys and the stored events of these aggregates (in one round trip on
     * PostgreSQL): loading any of them later in the unit of work (its commands, nested units included) costs no
     * further query, and what it read cannot change before it commits. Its appends then need no further lock, and it
     * keeps what it appends for {@link #appended}. On PostgreSQL it appends once, at the end of the unit of work, and
     * that append commits its transaction ({@link LogStore#appendAndCommit}). Answers the records found, by key.
     */
    public Map<String, IdempotencyRecord> lockLog(Collection<String> idempotencyKeys,
                                                  Collection<String> aggregateIds) {
        return lockLog(idempotencyKeys, aggregateIds, null);
    }

    /** {@link #lockLog(Collection, Collection)} for a batch of {@code batches}, which it tells what it appends. */
    public Map<String, IdempotencyRecord> lockLog(Collection<String> idempotencyKeys, Collection<String> aggregateIds,
                                                  DisjointBatches batches) {
        return read(true, idempotencyKeys, aggregateIds, batches);
    }

    /**
     * The reads of {@link #lockLog} without the lock, for a batch of {@code batches} (optimistic): while it runs its
     * commands the lock is free for the others. It takes the lock when it appends, and then fails with
     * {@link OutdatedReads}, appending nothing, if anything but those batches appended since it read; its caller
     * writes it again with {@link #lockLog}. PostgreSQL only ({@link #readsWithoutLock}).
     */
    public Map<String, IdempotencyRecord> readLog(Collection<String> idempotencyKeys, Collection<String> aggregateIds,
                                                  DisjointBatches batches) {
        return read(false, idempotencyKeys, aggregateIds, batches);
    }

    /** Whether {@link #readLog} can be used: the database runs a batch's reads in one round trip (PostgreSQL). */
    public boolean readsWithoutLock() {
        return log.runsStatementsTogether();
    }

    /** An optimistic batch's reads were outdated when it came to append (see {@link #readLog}). */
    public static final class OutdatedReads extends RuntimeException {
        OutdatedReads() {
            super("the log grew between the batch's reads and its lock", null, false, false);
        }
    }

    private Map<String, IdempotencyRecord> read(boolean lock, Collection<String> idempotencyKeys,
                                                Collection<String> aggregateIds, DisjointBatches batches) {
        Map<String, List<DomainEventData<?>>> events = new HashMap<>();
        aggregateIds.forEach(id -> events.put(id, new ArrayList<>()));
        LogStore.AlsoRead aggregates = new LogStore.AlsoRead("SELECT event_identifier, "
                + "aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision, payload, "
                + "meta_data FROM domain_event_entry WHERE aggregate_identifier = ANY (?) "
                + "ORDER BY aggregate_identifier, sequence_number", events.keySet(), rs -> {
                    while (rs.next()) {
                        events.get(rs.getString(2)).add(new GenericDomainEventEntry<>(rs.getString(4),
                                rs.getString(2), rs.getLong(3), rs.getString(1), rs.getString(5), rs.getString(6),
                                rs.getString(7), rs.getBytes(8), rs.getBytes(9)));
                    }
                });
        LogStore.Locked read = lock ? log.lock(idempotencyKeys, aggregates)
                : log.readUnlocked(idempotencyKeys, aggregates);
        Map<String, Object> resources = CurrentUnitOfWork.get().root().resources();
        resources.put(lock ? TREE_SIZE : READ_AT, read.treeSize());
        resources.put(APPENDED, new HashMap<String, IdempotencyRecord>());
        resources.put(PREFETCHED, events);
        if (batches != null) {
            resources.put(BATCHES, batches);
        }
        return read.requests();
    }

    /** Whether the current unit of work is a batch that read the log ({@link #lockLog}, {@link #readLog}). */
    public static boolean inLockedBatch() {
        return CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get().root().resources().containsKey(PREFETCHED);
    }

    /** The idempotency records (leaves absolute) that a unit of work which called {@link #lockLog} appended. */
    public static Map<String, IdempotencyRecord> appended(UnitOfWork<?> unit) {
        Map<String, IdempotencyRecord> appended = unit.root().getResource(APPENDED);
        return appended == null ? Map.of() : appended;
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        if (events.isEmpty()) {
            return;
        }
        Map<String, Object> locked = CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().root().resources() : null;
        if (locked != null && locked.containsKey(COMMITTED)) { // its transaction is over: these would go in another
            throw new IllegalStateException("a batch appended events after its append committed");
        }
        // first what does not depend on where the leaves go: an optimistic batch makes it before it takes the lock
        List<SerializedObject<byte[]>> payloads = new ArrayList<>(events.size());
        List<LogLeaf> leaves = new ArrayList<>(events.size());
        Map<String, IdempotencyRecord> requests = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            EventMessage<?> event = events.get(i);
            SerializedObject<byte[]> payload = event.serializePayload(eventSerializer, byte[].class);
            payloads.add(payload);
            leaves.add(new LogLeaf(event.getIdentifier(), MerkleHashes.leafHash(leafBytes(event, payload))));
            Object key = event.getMetaData().get(IDEMPOTENCY_KEY);
            if (key != null) {
                int index = i;
                requests.merge(key.toString(),
                        new IdempotencyRecord(key.toString(), String.valueOf(event.getMetaData().get(REQUEST_HASH)),
                                aggregateId(event), index, index),
                        (earlier, next) -> new IdempotencyRecord(earlier.idempotencyKey(), earlier.requestHash(),
                                earlier.aggregateId(), earlier.firstLeaf(), index));
            }
        }
        long first = firstLeaf(locked, events.size(), events.get(0).getIdentifier());
        // Each stored event carries its leaf index in metadata (outside the leaf bytes), so read models can say
        // which tree size they reflect; only that: its request's key and fingerprint are in its idempotency record,
        // and a copy in every event made the event table 40 % larger (a 4 M-row import: 2.2 GB instead of 1.6).
        List<EventMessage<?>> indexed = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            EventMessage<?> stored = events.get(i).withMetaData(Map.of(LEAF_INDEX, first + i));
            indexed.add(stored instanceof DomainEventMessage<?> d
                    ? new SerializedOnce<>(d, eventSerializer, payloads.get(i)) : stored);
        }
        List<IdempotencyRecord> records = List.copyOf(requests.values());
        Map<String, IdempotencyRecord> appended = locked == null ? null : locked(locked);
        if (appended == null) { // a write outside a batch, its leaves reserved above
            delegate.appendEvents(indexed);
            log.insert(first, leaves, records);
            return;
        }
        if (log.runsStatementsTogether()) {
            try {
                log.appendAndCommit(first, leaves, records, eventRows(indexed)); // one round trip
            } catch (LogStorageException e) {
                throw asAxonReports(e);
            }
            locked.put(COMMITTED, Boolean.TRUE);
        } else {
            delegate.appendEvents(indexed);
            log.advance(first + leaves.size());
            log.insert(first, leaves, records);
        }
        records.forEach(r -> appended.put(r.idempotencyKey(), new IdempotencyRecord(r.idempotencyKey(),
                r.requestHash(), r.aggregateId(), first + r.firstLeaf(), first + r.lastLeaf())));
    }

    /**
     * The first of {@code count} leaves for the current unit of work's events: after those it appended already if it is
     * a batch ({@link #lockLog}; an optimistic one takes the lock now and checks its reads), else reserved now.
     */
    private long firstLeaf(Map<String, Object> locked, int count, String firstEventId) {
        if (locked == null) {
            return log.reserve(count);
        }
        DisjointBatches batches = locked.get(BATCHES) instanceof DisjointBatches b ? b : null;
        if (!locked.containsKey(TREE_SIZE) && locked.get(READ_AT) instanceof Long readAt) {
            long size = log.lock();
            if (size != readAt) {
                // appended since its reads: only the other batches of its kind, and committed (confirmed in the log)?
                Map<Long, String> claimed = batches == null ? null : batches.claimed(readAt, size);
                if (claimed == null || !log.eventIdsAt(claimed.keySet()).equals(claimed)) {
                    throw new OutdatedReads();
                }
            }
            locked.put(TREE_SIZE, size);
        }
        if (!(locked.get(TREE_SIZE) instanceof Long first)) {
            return log.reserve(count);
        }
        locked.put(TREE_SIZE, first + count);
        if (batches != null) {
            batches.appending(first, first + count, firstEventId);
        }
        return first;
    }

    /**
     * A failure to store a batch's events as Axon's JDBC engine reports it (the callers tell a conflict from an
     * outage by it): a duplicate key is a concurrency conflict, anything else an event store failure, its cause kept.
     */
    private static RuntimeException asAxonReports(LogStorageException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return new ConcurrencyException("an event of the batch was already stored (duplicate key)", e);
            }
        }
        return new EventStoreException("the batch's events could not be stored", e);
    }

    /** The records appended so far by a batch that took the lock ({@link #lockLog}), or null outside one. */
    @SuppressWarnings("unchecked")
    private static Map<String, IdempotencyRecord> locked(Map<String, Object> resources) {
        return (Map<String, IdempotencyRecord>) resources.get(APPENDED);
    }

    /**
     * The rows Axon's JDBC engine would insert for these events (same columns and values: its serializer, its
     * timestamp text; a non-domain event under its own identifier with sequence 0), as arrays: on PostgreSQL a batch's
     * events go with its leaves in one round trip.
     */
    private LogStore.ArrayInsert eventRows(List<EventMessage<?>> events) {
        int n = events.size();
        Object[][] columns = new Object[9][];
        columns[0] = new String[n];
        columns[1] = new String[n];
        columns[2] = new Long[n];
        columns[3] = new String[n];
        columns[4] = new String[n];
        columns[5] = new String[n];
        columns[6] = new String[n];
        columns[7] = new byte[n][];
        columns[8] = new byte[n][];
        for (int i = 0; i < n; i++) {
            EventMessage<?> event = events.get(i);
            DomainEventMessage<?> domain = event instanceof DomainEventMessage<?> d ? d : null;
            SerializedObject<byte[]> payload = event.serializePayload(eventSerializer, byte[].class);
            columns[0][i] = event.getIdentifier();
            columns[1][i] = aggregateId(event);
            columns[2][i] = domain == null ? 0L : domain.getSequenceNumber();
            columns[3][i] = domain == null ? null : domain.getType();
            columns[4][i] = DateTimeUtils.formatInstant(event.getTimestamp());
            columns[5][i] = payload.getType().getName();
            columns[6][i] = payload.getType().getRevision();
            columns[7][i] = payload.getData();
            columns[8][i] = event.serializeMetaData(eventSerializer, byte[].class).getData();
        }
        return new LogStore.ArrayInsert("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, "
                + "sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data) "
                + "SELECT e, a, s, t, ts, pt, pr, p, m FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], "
                + "?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bytea[], ?::bytea[]) "
                + "WITH ORDINALITY AS r(e, a, s, t, ts, pt, pr, p, m, o) ORDER BY o", // global index in log order
                List.of("varchar", "varchar", "bigint", "varchar", "varchar", "varchar", "varchar", "bytea", "bytea"),
                Arrays.asList(columns));
    }

    /** The leaf bytes of an event, from exactly what the event store keeps of it. */
    public byte[] leafBytes(EventMessage<?> event) {
        return leafBytes(event, event.serializePayload(eventSerializer, byte[].class));
    }

    private byte[] leafBytes(EventMessage<?> event, SerializedObject<byte[]> payload) {
        long sequence = event instanceof DomainEventMessage<?> d ? d.getSequenceNumber() : 0L;
        return codec.leafBytes(event.getIdentifier(), aggregateId(event), sequence, storedTimestamp(event.getTimestamp()),
                payload.getType().getName(), payload.getType().getRevision(), payload.getData());
    }

    /** An event as handed to Axon's engine, whose payload was serialized once: for its leaf and for its row. */
    private static final class SerializedOnce<T> extends GenericDomainEventMessage<T> {

        private final transient Serializer serializer;
        private final transient SerializedObject<byte[]> payload;

        SerializedOnce(DomainEventMessage<T> event, Serializer serializer, SerializedObject<byte[]> payload) {
            super(event.getType(), event.getAggregateIdentifier(), event.getSequenceNumber(), event,
                    event.getTimestamp());
            this.serializer = serializer;
            this.payload = payload;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <S> SerializedObject<S> serializePayload(Serializer requested, Class<S> representation) {
            return requested == serializer && representation == byte[].class ? (SerializedObject<S>) payload
                    : super.serializePayload(requested, representation);
        }
    }

    /** Axon's JDBC engine keeps timestamps to the millisecond. */
    public static Instant storedTimestamp(Instant timestamp) {
        return timestamp.truncatedTo(ChronoUnit.MILLIS);
    }

    private static String aggregateId(EventMessage<?> event) {
        // Axon stores a non-domain event under its own identifier with sequence 0.
        return event instanceof DomainEventMessage<?> d && d.getAggregateIdentifier() != null
                ? d.getAggregateIdentifier() : event.getIdentifier();
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        throw new UnsupportedOperationException("the ledger takes no snapshots");
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        return delegate.readEvents(trackingToken, mayBlock);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        if (CurrentUnitOfWork.isStarted()) {
            Map<String, List<DomainEventData<?>>> prefetched = CurrentUnitOfWork.get().root().getResource(PREFETCHED);
            List<DomainEventData<?>> events = prefetched == null ? null : prefetched.get(aggregateIdentifier);
            if (events != null) {
                return EventStreamUtils.upcastAndDeserializeDomainEvents(
                        events.stream().filter(e -> e.getSequenceNumber() >= firstSequenceNumber), eventSerializer,
                        NoOpEventUpcaster.INSTANCE);
            }
        }
        return delegate.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    /**
     * The ledger takes no snapshots (its aggregates hold a few events each), so loading an aggregate skips the
     * snapshot query: one database round trip less per command.
     */
    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return Optional.empty();
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return delegate.lastSequenceNumberFor(aggregateIdentifier);
    }

    @Override
    public TrackingToken createTailToken() {
        return delegate.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return delegate.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return delegate.createTokenAt(dateTime);
    }
}
