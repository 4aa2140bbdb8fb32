package eu.ehds.rights.ledger.api.project;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import java.util.Arrays;

/** Purposes for which secondary use may be permitted, after EHDS Art. 53(1). */
public enum PurposeCategory {
    PUBLIC_HEALTH, POLICY_MAKING, STATISTICS, EDUCATION, SCIENTIFIC_RESEARCH, CARE_IMPROVEMENT;

    public static PurposeCategory parse(String value) {
        return Arrays.stream(values()).filter(p -> p.name().equals(value)).findFirst()
                .orElseThrow(() -> new InvalidRequestException("unknown purpose category '" + value
                        + "'; expected one of " + Arrays.toString(values())));
    }
}
