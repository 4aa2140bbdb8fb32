package eu.ehds.rights.portal.ledger;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A batch's reads under the log's lock use the tables' indexes however long the writer's connection has lived. The
 * driver prepares a statement on the server after a few runs, and PostgreSQL may then keep one generic plan for it: made
 * while a fresh ledger's tables were nearly empty, it scanned the whole event and idempotency tables in every batch
 * (12,800 times in one {@code bench append}).
 */
class LogStoreOnPostgresIT {

    private static final String EVENTS_OF = "SELECT global_index FROM domain_event_entry "
            + "WHERE aggregate_identifier = ANY (?)";

    private Connection connection;
    private LogStore log;
    private JdbcTemplate jdbc;

    @BeforeEach
    void freshLedger() throws SQLException {
        PostgresHarness.Database db = PostgresHarness.newDatabase();
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
