package eu.ehds.rights.portal.ledger;

import eu.ehds.rights.portal.support.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The ledger suite on the embedded default: an H2 file database in a fresh data directory. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LedgerOnH2IT extends LedgerApiContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        Path dataDir = Files.createTempDirectory("ledger-h2-it-");
        registry.add("ledger.data-dir", dataDir::toString);
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dataDir.resolve("ledger"));
        registry.add("ledger.admin-password", () -> Api.ADMIN_PASSWORD);
        registry.add("ledger.auditor-password", () -> Api.AUDITOR_PASSWORD);
    }
}
