package eu.ehds.rights.portal.ledger;

import eu.ehds.rights.portal.support.EmbeddedLedger;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The ledger suite on the embedded default: an H2 file database in a fresh data directory. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LedgerOnH2IT extends LedgerApiContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "ledger-h2-it");
    }
}
