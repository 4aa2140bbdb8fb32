package eu.ehds.rights.ledger.api.project;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import java.util.Arrays;

/**
 * On what a project may reuse data: {@code OPT_OUT}, the EHDS default (everyone's data except that of persons who
 * opted out), or {@code CONSENT} (only the data of persons whose consent covering the project is in force).
 */
public enum LegalBasis {
    OPT_OUT, CONSENT;

    /** The basis named, {@code OPT_OUT} when none is. */
    public static LegalBasis parse(String value) {
        if (value == null || value.isBlank()) {
            return OPT_OUT;
        }
        return Arrays.stream(values()).filter(b -> b.name().equals(value)).findFirst()
                .orElseThrow(() -> new InvalidRequestException("unknown legalBasis '" + value
                        + "'; expected OPT_OUT or CONSENT"));
    }
}
