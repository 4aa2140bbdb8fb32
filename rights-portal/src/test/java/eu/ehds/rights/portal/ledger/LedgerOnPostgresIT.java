package eu.ehds.rights.portal.ledger;

import eu.ehds.rights.portal.support.EmbeddedLedger;
import eu.ehds.rights.portal.support.PostgresHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same ledger suite on a real PostgreSQL server (started by the harness or by .ci/test). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LedgerOnPostgresIT extends LedgerApiContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        PostgresHarness.Database db = PostgresHarness.newDatabase();
        Path dataDir = Files.createTempDirectory("ledger-pg-it-");
        registry.add("ledger.data-dir", dataDir::toString);
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
        EmbeddedLedger.staff(registry);
    }

    @org.springframework.beans.factory.annotation.Autowired
    javax.sql.DataSource dataSource;

    /** A stuck transaction must not stall every writer: each connection has a lock and an idle-transaction limit. */
    @org.junit.jupiter.api.Test
    void every_connection_waits_for_a_lock_at_most_five_seconds_and_ends_a_transaction_idle_for_ten_seconds()
            throws Exception {
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            try (java.sql.ResultSet rs = s.executeQuery("SHOW lock_timeout")) {
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getString(1)).isEqualTo("5s");
            }
            try (java.sql.ResultSet rs = s.executeQuery("SHOW idle_in_transaction_session_timeout")) {
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getString(1)).isEqualTo("10s");
            }
        }
    }

    /**
     * A writer that cannot get the log's lock within the lock timeout (another node froze holding it) is answered 503
     * with Retry-After, not 500, and the same request sent again once the lock is free is recorded once.
     */
    @org.junit.jupiter.api.Test
    void a_write_that_waits_too_long_for_the_logs_lock_is_answered_503_and_recorded_when_sent_again()
            throws Exception {
        String body = optOutBody(eu.ehds.rights.portal.support.Nirs.anyNir(), "GLOBAL", null, key());
        try (java.sql.Connection frozen = dataSource.getConnection(); java.sql.Statement s = frozen.createStatement()) {
            frozen.setAutoCommit(false);
            s.execute("SET LOCAL lock_timeout = 0");
            s.executeQuery("SELECT tree_size FROM log_head FOR UPDATE").close(); // held, as by a frozen node

            eu.ehds.rights.portal.support.Api.Response refused = api.postAsAdmin("/api/v1/opt-outs", body);
            org.assertj.core.api.Assertions.assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            org.assertj.core.api.Assertions.assertThat(refused.header("Retry-After")).isNotNull();
            org.assertj.core.api.Assertions.assertThat(refused.body()).contains("busy");
            frozen.rollback();
        }
        eu.ehds.rights.portal.support.Api.Response recorded = api.postAsAdmin("/api/v1/opt-outs", body);
        org.assertj.core.api.Assertions.assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
        org.assertj.core.api.Assertions.assertThat(api.postAsAdmin("/api/v1/opt-outs", body).header(
                "Idempotent-Replayed")).isEqualTo("true");
    }
}
