package eu.ehds.rights.ledger.store;

import eu.ehds.rights.ledger.log.IdempotencyRecord;
import eu.ehds.rights.ledger.log.LeafCodec;
import eu.ehds.rights.ledger.log.LogLeaf;
import eu.ehds.rights.ledger.log.LogStore;
import eu.ehds.rights.ledger.log.MerkleHashes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

/**
 * Stores events through Axon's engine and, in the same transaction, appends one log leaf per event. A
 * transaction that fails to append leaves stores no event either, so the log and the store never diverge.
 */
public final class LogAppendingStorageEngine implements EventStorageEngine {

    /** Metadata keys that the command dispatcher sets and events inherit. */
    public static final String IDEMPOTENCY_KEY = "idempotencyKey";
    public static final String REQUEST_HASH = "requestHash";
    /** Metadata key under which every stored event carries its leaf index. */
    public static final String LEAF_INDEX = "leafIndex";

    private final EventStorageEngine delegate;
    private final Serializer eventSerializer;
    private final LogStore log;
    private final LeafCodec codec = new LeafCodec();

    public LogAppendingStorageEngine(EventStorageEngine delegate, Serializer eventSerializer, LogStore log) {
        this.delegate = delegate;
        this.eventSerializer = eventSerializer;
        this.log = log;
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        if (events.isEmpty()) {
            return;
        }
        long first = log.reserve(events.size());
        // Each stored event carries its leaf index in metadata (outside the leaf bytes), so read models can say
        // which tree size they reflect.
        List<EventMessage<?>> indexed = new ArrayList<>(events.size());
        List<LogLeaf> leaves = new ArrayList<>(events.size());
        Map<String, IdempotencyRecord> requests = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            EventMessage<?> event = events.get(i);
            indexed.add(event.andMetaData(Map.of(LEAF_INDEX, first + i)));
            leaves.add(new LogLeaf(event.getIdentifier(), MerkleHashes.leafHash(leafBytes(event))));
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
        delegate.appendEvents(indexed);
        log.insert(first, leaves, List.copyOf(requests.values()));
    }

    /** The leaf bytes of an event, from exactly what the event store keeps of it. */
    public byte[] leafBytes(EventMessage<?> event) {
        SerializedObject<byte[]> payload = event.serializePayload(eventSerializer, byte[].class);
        long sequence = event instanceof DomainEventMessage<?> d ? d.getSequenceNumber() : 0L;
        return codec.leafBytes(event.getIdentifier(), aggregateId(event), sequence, storedTimestamp(event.getTimestamp()),
                payload.getType().getName(), payload.getType().getRevision(), payload.getData());
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
