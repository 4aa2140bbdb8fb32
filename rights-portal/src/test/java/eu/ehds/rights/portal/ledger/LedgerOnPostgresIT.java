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
    void every_connection_waits_for_a_lock_at_most_five_seconds_and_ends_a_transaction_idle_for_a_minute()
            throws Exception {
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            try (java.sql.ResultSet rs = s.executeQuery("SHOW lock_timeout")) {
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getString(1)).isEqualTo("5s");
            }
            try (java.sql.ResultSet rs = s.executeQuery("SHOW idle_in_transaction_session_timeout")) {
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getString(1)).isEqualTo("1min");
            }
        }
    }
}
