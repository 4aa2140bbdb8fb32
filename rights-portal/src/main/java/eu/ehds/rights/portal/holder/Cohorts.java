package eu.ehds.rights.portal.holder;

import eu.ehds.rights.portal.ledger.LedgerProperties;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/** Where the cohort files of recorded usages live: {@code LEDGER_DATA_DIR/cohorts/<usageId>.cohort}. */
@Component
public class Cohorts {

    private final Path dir;

    Cohorts(LedgerProperties properties) {
        this.dir = properties.dataDir().resolve("cohorts");
    }

    public Path fileOf(String usageId) {
        if (!usageId.matches("[A-Za-z0-9-]{1,80}")) {
            throw new IllegalArgumentException("not a usage id");
        }
        return dir.resolve(usageId + ".cohort");
    }

    Path workDir() {
        return dir.resolve("work");
    }
}
