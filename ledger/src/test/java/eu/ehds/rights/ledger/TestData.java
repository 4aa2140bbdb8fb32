package eu.ehds.rights.ledger;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.ledger.api.project.RegisterProjectCommand;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Small builders for test messages: anything not named by a test is "any" value. */
public final class TestData {

    public static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    public static final String STAFF = "staff:test";

    private TestData() {
    }

    public static String anyPerson() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static String anyKey() {
        return "key-" + UUID.randomUUID();
    }

    public static String anyProjectId() {
        return "prj-" + UUID.randomUUID();
    }

    public static Channel anyChannel() {
        return Channel.POST;
    }

    public static OptOutScope anyScope() {
        return OptOutScope.purpose(PurposeCategory.SCIENTIFIC_RESEARCH);
    }

    public static RegisterProjectCommand anyProject(String projectId) {
        return new RegisterProjectCommand(projectId, "Outcomes of type 2 diabetes care", "Université Example",
                PurposeCategory.SCIENTIFIC_RESEARCH, List.of("CNAM", "AP-HP"), List.of("DCIR", "PMSI"),
                LocalDate.parse("2026-04-01"), LocalDate.parse("2028-03-31"), STAFF, T0, anyKey());
    }
}
