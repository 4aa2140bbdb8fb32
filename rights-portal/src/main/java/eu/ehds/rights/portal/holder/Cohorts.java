package eu.ehds.rights.portal.holder;

import eu.ehds.rights.portal.ledger.LedgerProperties;
import eu.ehds.rights.portal.ledger.PrivateFiles;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * Where the cohort files of recorded usages live: the delivered persons' keys in
 * {@code LEDGER_SHARED_DIR/cohorts/<usageId>.cohort}, and the keys of those the filter left out (their opt-out applied)
 * in {@code <usageId>.excluded}, both sorted, 8 bytes a person, no identifiers.
 */
@Component
public class Cohorts {

    private final Path dir;

    Cohorts(LedgerProperties properties) {
        this.dir = properties.sharedDir().resolve("cohorts");
        PrivateFiles.directory(dir.resolve("work")); // keys of persons: the server's user only
        PrivateFiles.directory(dir);
    }

    public Path fileOf(String usageId) {
        if (!usageId.matches("[A-Za-z0-9-]{1,80}")) {
            throw new IllegalArgumentException("not a usage id");
        }
        return dir.resolve(usageId + ".cohort");
    }

    /** The persons an online filter left out of this usage's extract; absent for offline reports. */
    public Path excludedFileOf(String usageId) {
        return fileOf(usageId).resolveSibling(usageId + ".excluded");
    }

    Path workDir() {
        return dir.resolve("work");
    }
}
