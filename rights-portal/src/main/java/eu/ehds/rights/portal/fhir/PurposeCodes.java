package eu.ehds.rights.portal.fhir;

import eu.ehds.rights.ledger.api.project.PurposeCategory;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * EHDS Art. 53(1) purposes as HL7 PurposeOfUse codes (v3 ActReason), the table the README documents. Codes in, codes
 * out: an opt-out for a purpose is a {@code provision} of type deny with that purpose.
 */
final class PurposeCodes {

    static final String SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    /** The code and its display in the code system. */
    record Code(String code, String display) {
    }

    private static final Map<PurposeCategory, Code> CODES = new EnumMap<>(Map.of(
            PurposeCategory.PUBLIC_HEALTH, new Code("PUBHLTH", "public health"),
            PurposeCategory.POLICY_MAKING, new Code("HSYSADMIN", "health system administration"),
            PurposeCategory.STATISTICS, new Code("POPHLTH", "population health"),
            PurposeCategory.EDUCATION, new Code("TRAIN", "training"),
            PurposeCategory.SCIENTIFIC_RESEARCH, new Code("HRESCH", "healthcare research"),
            PurposeCategory.CARE_IMPROVEMENT, new Code("HQUALIMP", "health quality improvement")));

    private PurposeCodes() {
    }

    static Code of(PurposeCategory purpose) {
        return CODES.get(purpose);
    }

    static Optional<PurposeCategory> purpose(String system, String code) {
        if (!SYSTEM.equals(system)) {
            return Optional.empty();
        }
        return CODES.entrySet().stream().filter(e -> e.getValue().code().equals(code)).map(Map.Entry::getKey)
                .findFirst();
    }

    static String known() {
        return Arrays.toString(CODES.values().stream().map(Code::code).toArray());
    }
}
