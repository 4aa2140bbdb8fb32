package eu.ehds.rights.portal.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The application under test on its embedded default: an H2 file database in a fresh data directory, staff accounts. */
public final class EmbeddedLedger {

    /** How every such data directory's name starts, so that the privacy scan finds them all. */
    public static final String DIRECTORY_PREFIX = "ledger-it-";

    private EmbeddedLedger() {
    }

    public static void properties(DynamicPropertyRegistry registry, String name) throws IOException {
        Path dataDir = Files.createTempDirectory(DIRECTORY_PREFIX + name + "-");
        registry.add("ledger.data-dir", dataDir::toString);
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dataDir.resolve("ledger"));
        staff(registry);
    }

    public static void staff(DynamicPropertyRegistry registry) {
        registry.add("ledger.admin-password", () -> Api.ADMIN_PASSWORD);
        registry.add("ledger.auditor-password", () -> Api.AUDITOR_PASSWORD);
    }
}
