package eu.ehds.rights.ledger.store;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.axonframework.common.jdbc.JdbcUtils;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

/**
 * Axon's JDBC engine, reading for the event processors in fewer round trips. After every commit the event store's
 * reader asks the store for what is new; with Axon's engine as it comes, that cost eight round trips to find one batch:
 * <ul>
 *   <li>the reader's stream of events goes on until a query finds none, though the reader asks again anyway as long as
 *       it finds events ({@link #readEventData});</li>
 *   <li>each query that finds nothing is followed by a second one looking for events beyond a gap wider than a batch,
 *       which only a rolled-back batch of more than a thousand events leaves: here that search runs at most once
 *       every {@code gapSearch} (so the reader crosses such a gap within that time);</li>
 *   <li>each read ran in a transaction of its own, its commit one more round trip (and on the embedded database, a
 *       force of its file to disk): a single query needs none.</li>
 * </ul>
 * What is read, and in which order, does not change.
 */
public final class TailingJdbcEngine extends JdbcEventStorageEngine {

    private final long gapSearchNanos;
    /** When the last search beyond a gap ran ({@link System#nanoTime}); long ago at first, so the first is due. */
    private final AtomicLong lastGapSearch = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);

    /** {@code builder} with its transaction manager set; this engine turns its extended gap check off. */
    public TailingJdbcEngine(Builder builder, Duration gapSearch) {
        super(builder.extendedGapCheckEnabled(false));
        this.gapSearchNanos = gapSearch.toNanos();
    }

    /** A transaction manager that runs Axon's reads (its {@code fetchInTransaction}) as they are, in no transaction. */
    public static TransactionManager readingOutsideTransactions(TransactionManager transactions) {
        return new TransactionManager() {
            @Override
            public Transaction startTransaction() {
                return transactions.startTransaction();
            }

            @Override
            public <T> T fetchInTransaction(Supplier<T> supplier) {
                return supplier.get(); // in a caller's transaction, if any: the connection is the one bound to it
            }
        };
    }

    /**
     * The event store's reader (its stream {@code mayBlock}) asks again as long as it finds events: its stream ends after
     * the first batch shorter than the batch size. A query reads the events of a span of global indexes as wide as the
     * batch size, so a short batch does not show that the store has no more (a span may hold gaps): a consumer's own
     * stream (catching up) goes on until a batch is empty, as Axon's does.
     */
    @Override
    protected Stream<? extends TrackedEventData<?>> readEventData(TrackingToken trackingToken, boolean mayBlock) {
        return StreamSupport.stream(new Batches(trackingToken, mayBlock), false);
    }

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        List<? extends TrackedEventData<?>> batch = super.fetchTrackedEvents(lastToken, batchSize);
        if (!batch.isEmpty() || !gapSearchDue()) {
            return batch;
        }
        long index = lastToken == null ? -1 : ((GapAwareTrackingToken) lastToken).getIndex();
        Long next = JdbcUtils.executeQuery(getConnection(), c -> fetchTrackedEvents(c, index),
                rs -> JdbcUtils.nextAndExtract(rs, 1, Long.class),
                e -> new EventStoreException("Failed to read the global index ahead of the token", e));
        // as Axon's own check does: one batch reaching up to the first event beyond the gap
        return next == null ? batch : super.fetchTrackedEvents(lastToken, (int) Math.min(Integer.MAX_VALUE, next - index));
    }

    private boolean gapSearchDue() {
        long now = System.nanoTime();
        long last = lastGapSearch.get();
        return now - last >= gapSearchNanos && lastGapSearch.compareAndSet(last, now);
    }

    /** The store's events after a token, a batch at a time, up to an empty batch or, if told, a short one. */
    private final class Batches extends Spliterators.AbstractSpliterator<TrackedEventData<?>> {

        private final boolean endShort;
        private TrackingToken last;
        private Iterator<? extends TrackedEventData<?>> batch;
        private boolean lastBatch;

        Batches(TrackingToken from, boolean endShort) {
            super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
            this.last = from;
            this.endShort = endShort;
        }

        @Override
        public boolean tryAdvance(Consumer<? super TrackedEventData<?>> action) {
            if (batch == null || !batch.hasNext()) {
                if (lastBatch) {
                    return false;
                }
                List<? extends TrackedEventData<?>> fetched = fetchTrackedEvents(last, batchSize());
                lastBatch = endShort && fetched.size() < batchSize();
                batch = fetched.iterator();
                if (!batch.hasNext()) {
                    return false;
                }
            }
            TrackedEventData<?> next = batch.next();
            last = next.trackingToken();
            action.accept(next);
            return true;
        }
    }
}
