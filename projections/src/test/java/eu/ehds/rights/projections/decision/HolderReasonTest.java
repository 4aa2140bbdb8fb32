package eu.ehds.rights.projections.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HolderReasonTest {

    @ParameterizedTest(name = "{0} is told to a holder as {1}")
    @CsvSource({
            "NO_OPT_OUT, INCLUDED",
            "OPT_OUT_AFTER_PERMIT, INCLUDED",
            "DEROGATION, INCLUDED",
            "OPTED_OUT_GLOBAL, EXCLUDED",
            "OPTED_OUT_PURPOSE, EXCLUDED",
            "OPTED_OUT_PROJECT, EXCLUDED",
            "PROJECT_NOT_PERMITTED, PROJECT_NOT_PERMITTED",
            "UNKNOWN_PROJECT, PROJECT_NOT_PERMITTED",
            "PROJECT_CLOSED, PROJECT_CLOSED"})
    void a_holder_learns_the_class_of_a_reason_only(Reason reason, HolderReason told) {
        assertThat(HolderReason.of(reason)).isEqualTo(told);
    }
}
