package eu.ehds.rights.portal.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.store.TailingJdbcEngine;
import eu.ehds.rights.portal.support.PostgresHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The event processors' reads of the store: every event, in order, in fewer queries than Axon's engine makes, none in
 * a transaction of its own, and an event beyond a gap wider than a batch still found.
 */
class TailingJdbcEngineOnPostgresIT {

    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger transactions = new AtomicInteger();
    private final Serializer serializer = JacksonSerializer.builder().objectMapper(LedgerConfiguration.storageMapper())
            .build();
    private long sequence;
    private DriverManagerDataSource dataSource;
    private JdbcTemplate jdbc;

    @BeforeEach
    void freshStore() {
        PostgresHarness.Database db = PostgresHarness.newDatabase();
        Flyway.configure().dataSource(db.url(), db.user(), db.password())
                .locations("classpath:db/migration/common", "classpath:db/migration/postgresql").load().migrate();
        dataSource = new DriverManagerDataSource(db.url(), db.user(), db.password());
        jdbc = new JdbcTemplate(dataSource);
    }

    @Test
    void the_event_stores_reader_gets_every_event_in_order_in_no_transaction_and_two_queries_after_a_commit() {
        TailingJdbcEngine engine = engine(Duration.ofHours(1));
        append(engine, 2_500);
        transactions.set(0);

        List<TrackedEventMessage<?>> read = readAll(engine, null);

        assertThat(read).hasSize(2_500);
        assertThat(read).extracting(e -> ((GenericDomainEventMessage<?>) e).getSequenceNumber())
                .isSorted().startsWith(0L, 1L, 2L).endsWith(2_499L);
        assertThat(transactions).hasValue(0);

        append(engine, 1);
        connections.set(0);
        transactions.set(0);
        assertThat(readAll(engine, read.get(read.size() - 1).trackingToken())).hasSize(1);
        // one query finds the event and ends the stream, one finds nothing (Axon's engine: five, in three transactions)
        assertThat(connections).hasValue(2);
        assertThat(transactions).hasValue(0);
    }

    @Test
    void an_event_beyond_a_gap_wider_than_a_batch_is_found_and_searched_for_at_most_once_a_period() {
        TailingJdbcEngine engine = engine(Duration.ofHours(1));
        append(engine, 1);
        TrackingToken first = read(engine, null).get(0).trackingToken(); // a short batch: no query that finds none
        skipGlobalIndexes(5_000); // a rolled-back batch of 5,000 events leaves such a gap
        append(engine, 1);

        List<TrackedEventMessage<?>> beyond = readAll(engine, first);

        assertThat(beyond).as("the first search is due").hasSize(1);
        skipGlobalIndexes(5_000);
        append(engine, 1);
        TrackingToken second = beyond.get(0).trackingToken();
        assertThat(readAll(engine, second)).as("searched again within the hour").isEmpty();
        assertThat(readAll(engine(Duration.ZERO), second)).hasSize(1);
    }

    private TailingJdbcEngine engine(Duration gapSearch) {
        ConnectionProvider counted = () -> {
            connections.incrementAndGet();
            return dataSource.getConnection();
        };
        TransactionManager none = new TransactionManager() {
            @Override
            public Transaction startTransaction() {
                transactions.incrementAndGet();
                return NoTransactionManager.INSTANCE.startTransaction();
            }
        };
        return new TailingJdbcEngine(JdbcEventStorageEngine.builder()
                .connectionProvider(counted)
                .transactionManager(TailingJdbcEngine.readingOutsideTransactions(none))
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .schema(LedgerConfiguration.EVENT_SCHEMA)
                .batchSize(1_000), gapSearch);
    }

    private void append(TailingJdbcEngine engine, int count) {
        List<GenericDomainEventMessage<String>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new GenericDomainEventMessage<>("Test", "aggregate", sequence++, "event " + sequence));
        }
        engine.appendEvents(events);
    }

    /** Reads as the event store's reader does: streams from the last event read until a stream finds nothing. */
    private static List<TrackedEventMessage<?>> readAll(TailingJdbcEngine engine, TrackingToken from) {
        List<TrackedEventMessage<?>> all = new ArrayList<>();
        TrackingToken last = from;
        for (List<TrackedEventMessage<?>> read = read(engine, last); !read.isEmpty(); read = read(engine, last)) {
            all.addAll(read);
            last = read.get(read.size() - 1).trackingToken();
        }
        return all;
    }

    private static List<TrackedEventMessage<?>> read(TailingJdbcEngine engine, TrackingToken from) {
        try (Stream<? extends TrackedEventMessage<?>> events = engine.readEvents(from, true)) {
            return new ArrayList<>(events.toList());
        }
    }

    private void skipGlobalIndexes(int count) {
        jdbc.queryForObject("SELECT setval('domain_event_entry_global_index_seq', "
                + "nextval('domain_event_entry_global_index_seq') + ?)", Long.class, count);
    }

}
