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
}
