package eu.ehds.rights.portal.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.ehds.rights.ledger.log.IdempotencyRecord;
import eu.ehds.rights.ledger.log.LogLeaf;
import eu.ehds.rights.ledger.log.LogStorageException;
import eu.ehds.rights.ledger.log.LogStore;
import eu.ehds.rights.portal.support.PostgresHarness;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A batch's reads under the log's lock use the tables' indexes however long the writer's connection has lived. The
 * driver prepares a statement on the server after a few runs, and PostgreSQL may then keep one generic plan for it: made
 * while a fresh ledger's tables were nearly empty, it scanned the whole event and idempotency tables in every batch
 * (12,800 times in one {@code bench append}). A batch's append commits it in the same round trip, or commits nothing.
 */
class LogStoreOnPostgresIT {

    private static final String EVENTS_OF = "SELECT global_index FROM domain_event_entry "
            + "WHERE aggregate_identifier = ANY (?)";

    private PostgresHarness.Database db;
    private Connection connection;
    private LogStore log;
    private JdbcTemplate jdbc;

    @BeforeEach
    void freshLedger() throws SQLException {
        db = PostgresHarness.newDatabase();
        Flyway.configure().dataSource(db.url(), db.user(), db.password())
                .locations("classpath:db/migration/common", "classpath:db/migration/postgresql").load().migrate();
        connection = DriverManager.getConnection(db.url(), db.user(), db.password());
        connection.setAutoCommit(false);
        SingleConnectionDataSource one = new SingleConnectionDataSource(connection, true);
        log = new LogStore(one::getConnection);
        jdbc = new JdbcTemplate(one);
        // no analysis by autovacuum during the test: it would make PostgreSQL plan the statements again
        jdbc.execute("ALTER TABLE idempotency_record SET (autovacuum_enabled = false)");
        jdbc.execute("ALTER TABLE domain_event_entry SET (autovacuum_enabled = false)");
        connection.commit();
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void a_batch_on_a_grown_ledger_reads_through_the_indexes_after_many_batches_on_an_empty_one() throws SQLException {
        // given a writer's connection that ran many batches while the ledger was empty
        for (int i = 0; i < 12; i++) {
            lockAndCommit("key-" + i, "person-" + i);
        }
        // and a ledger that then grew (its tables not analysed since)
        jdbc.update("INSERT INTO idempotency_record (idempotency_key, request_hash, aggregate_id, first_leaf, last_leaf) "
                + "SELECT 'old-' || n, 'h', 'person-' || n, n, n FROM generate_series(1, 50000) n");
        jdbc.update("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, "
                + "time_stamp, payload_type, payload) SELECT 'event-' || n, 'person-' || n, 0, 'Person', "
                + "'2026-12-03T10:00:00Z', 'OptOutRegistered', '\\x7b7d'::bytea FROM generate_series(1, 50000) n");
        connection.commit();

        // when the writer locks the next batch
        long idempotencyScans = sequentialScansSoFar("idempotency_record");
        long eventScans = sequentialScansSoFar("domain_event_entry");
        LogStore.Locked locked = log.lock(List.of("old-7", "new-key"), new LogStore.AlsoRead(EVENTS_OF,
                List.of("person-7"), rows -> assertThat(rows.next()).isTrue()));

        // then it found what it read without scanning either table
        assertThat(locked.requests()).containsOnlyKeys("old-7");
        assertThat(sequentialScansSoFar("idempotency_record")).isEqualTo(idempotencyScans);
        assertThat(sequentialScansSoFar("domain_event_entry")).isEqualTo(eventScans);
        connection.rollback();
    }

    @Test
    void an_append_commits_its_batch_with_it_and_a_failed_one_commits_nothing() throws SQLException {
        // given a batch holding the log's lock
        long size = log.lock(List.of("key-a"), noEvents()).treeSize();

        // when it appends its event
        log.appendAndCommit(size, List.of(leaf("event-a")), List.of(new IdempotencyRecord("key-a", "h", "person-a",
                0, 0)), event("event-a", "person-a"));

        // then the batch is committed: another session sees it, and the writer's rollback undoes nothing
        connection.rollback();
        JdbcTemplate other = new JdbcTemplate(new DriverManagerDataSource(db.url(), db.user(), db.password()));
        assertThat(other.queryForObject("SELECT tree_size FROM log_head", Long.class)).isEqualTo(size + 1);
        assertThat(other.queryForObject("SELECT count(*) FROM log_leaf", Long.class)).isEqualTo(1);
        assertThat(other.queryForObject("SELECT count(*) FROM idempotency_record WHERE idempotency_key = 'key-a'",
                Long.class)).isEqualTo(1);
        assertThat(other.queryForObject("SELECT count(*) FROM domain_event_entry WHERE event_identifier = 'event-a'",
                Long.class)).isEqualTo(1);

        // and given a next batch whose append fails on its last statement (a key already recorded)
        long next = log.lock(List.of("key-a"), noEvents()).treeSize();
        assertThatThrownBy(() -> log.appendAndCommit(next, List.of(leaf("event-b")),
                List.of(new IdempotencyRecord("key-a", "h", "person-b", 0, 0)), event("event-b", "person-b")))
                .isInstanceOf(LogStorageException.class);
        connection.rollback();

        // then none of its rows was committed, and the tree size is unchanged
        assertThat(other.queryForObject("SELECT tree_size FROM log_head", Long.class)).isEqualTo(size + 1);
        assertThat(other.queryForObject("SELECT count(*) FROM log_leaf", Long.class)).isEqualTo(1);
        assertThat(other.queryForObject("SELECT count(*) FROM domain_event_entry WHERE event_identifier = 'event-b'",
                Long.class)).isZero();
    }

    private static LogStore.AlsoRead noEvents() {
        return new LogStore.AlsoRead(EVENTS_OF, List.of("nobody"), rows -> {
        });
    }

    private static LogLeaf leaf(String eventId) {
        return new LogLeaf(eventId, new byte[32]);
    }

    private static LogStore.ArrayInsert event(String eventId, String person) {
        return new LogStore.ArrayInsert("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, "
                + "sequence_number, type, time_stamp, payload_type, payload) "
                + "SELECT e, a, 0, 'Person', '2026-12-03T10:00:00Z', 'OptOutRegistered', '\\x7b7d'::bytea "
                + "FROM unnest(?::varchar[], ?::varchar[]) AS r(e, a)", List.of("varchar", "varchar"),
                List.of(new String[] {eventId}, new String[] {person}));
    }

    private void lockAndCommit(String key, String person) throws SQLException {
        log.lock(List.of(key), new LogStore.AlsoRead(EVENTS_OF, List.of(person), rows -> {
        }));
        connection.commit();
    }

    /** This session's count, including what it has not yet reported to the statistics (PostgreSQL 15). */
    private long sequentialScansSoFar(String table) {
        return jdbc.queryForObject("SELECT pg_stat_get_xact_numscans(?::regclass)", Long.class, table);
    }
}
