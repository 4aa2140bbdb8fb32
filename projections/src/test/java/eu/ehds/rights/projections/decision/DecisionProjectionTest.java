package eu.ehds.rights.projections.decision;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.consent.ConsentGiven;
import eu.ehds.rights.ledger.api.consent.ConsentWithdrawn;
import eu.ehds.rights.ledger.api.optout.OptOutRegistered;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.optout.OptOutWithdrawn;
import eu.ehds.rights.ledger.api.project.LegalBasis;
import eu.ehds.rights.ledger.api.project.LegalBasisSet;
import eu.ehds.rights.ledger.api.project.PermitApproved;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DecisionProjectionTest {

    private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
    private static final String PERSON = "0123456789abcdef0123456789abcdef";
    private static final String PROJECT = "prj-1";

    private DecisionProjection projection;

    @BeforeEach
    void givenAPermittedProject() {
        projection = new DecisionProjection();
        projection.apply(new ProjectRegistered(PROJECT, "t", "c", PurposeCategory.STATISTICS, List.of("h"), List.of("d"),
                LocalDate.EPOCH, LocalDate.EPOCH, "staff", T0), 0L);
        projection.apply(new PermitApproved(PROJECT, "P", T0.plusSeconds(100), "staff"), 1L);
    }

    private OptOutRegistered optOut(int secondsAfterT0) {
        return new OptOutRegistered(PERSON, OptOutScope.global(), Channel.POST, "staff", T0.plusSeconds(secondsAfterT0));
    }

    private Decision decideAt(int secondsAfterT0) {
        return projection.decide(PERSON, PROJECT, T0.plusSeconds(secondsAfterT0), projection.treeSize(),
                RuleMode.EHDS_ART_71_3);
    }

    @Nested
    class Idempotence {

        @Test
        void the_same_registration_twice_changes_nothing() {
            projection.apply(optOut(50), 2L);
            projection.apply(optOut(50), 2L);
            projection.apply(new OptOutWithdrawn(PERSON, OptOutScope.global(), Channel.POST, "staff", T0.plusSeconds(150)), 3L);
            assertThat(decideAt(200).reason()).isEqualTo(Reason.NO_OPT_OUT);
            assertThat(decideAt(120).reason()).isEqualTo(Reason.OPTED_OUT_GLOBAL);
        }

        @Test
        void the_same_withdrawal_twice_does_not_close_a_later_opt_out() {
            OptOutWithdrawn withdrawal =
                    new OptOutWithdrawn(PERSON, OptOutScope.global(), Channel.POST, "staff", T0.plusSeconds(60));
            projection.apply(optOut(50), 2L);
            projection.apply(withdrawal, 3L);
            projection.apply(optOut(70), 4L);
            projection.apply(withdrawal, 3L);
            assertThat(decideAt(200).reason()).isEqualTo(Reason.OPTED_OUT_GLOBAL);
        }
    }

    @Nested
    class TreeSize {

        @Test
        void counts_only_the_leaves_applied_without_gap() {
            projection.apply(optOut(50), 3L);
            assertThat(projection.treeSize()).isEqualTo(2);
            projection.apply((Object) "any other event", 2L);
            assertThat(projection.treeSize()).isEqualTo(4);
        }

        @Test
        void answers_as_the_log_stood_at_a_past_tree_size() {
            projection.apply(optOut(50), 2L);
            assertThat(projection.decide(PERSON, PROJECT, T0.plusSeconds(200), 2, RuleMode.EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.NO_OPT_OUT);
            assertThat(projection.decide(PERSON, PROJECT, T0.plusSeconds(200), 3, RuleMode.EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.OPTED_OUT_GLOBAL);
            assertThat(projection.decide(PERSON, PROJECT, T0.plusSeconds(200), 1, RuleMode.EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.PROJECT_NOT_PERMITTED);
            assertThat(projection.knowsProject(PROJECT, 0)).isFalse();
        }
    }

    @Nested
    class ConsentProject {

        private static final String OTHER = "fedcba9876543210fedcba9876543210";
        private static final String NOTICE = "cd".repeat(32);

        private ConsentGiven consent(String person, int secondsAfterT0, Integer endsAfterT0) {
            return new ConsentGiven(person, OptOutScope.project(PROJECT), Channel.PORTAL, "citizen",
                    T0.plusSeconds(secondsAfterT0), endsAfterT0 == null ? null : T0.plusSeconds(endsAfterT0), NOTICE);
        }

        @Test
        void only_persons_whose_consent_is_in_force_are_allowed_and_the_basis_follows_the_tree_size() {
            projection.apply(new LegalBasisSet(PROJECT, LegalBasis.CONSENT, "notice", "staff", T0.plusSeconds(10)), 2L);
            projection.apply(consent(PERSON, 20, null), 3L);
            projection.apply(consent(OTHER, 20, 150), 4L);

            assertThat(decideAt(200).reason()).isEqualTo(Reason.CONSENT_IN_FORCE);
            assertThat(projection.decide(OTHER, PROJECT, T0.plusSeconds(200), projection.treeSize(),
                    RuleMode.EHDS_ART_71_3).reason()).isEqualTo(Reason.CONSENT_EXPIRED);
            assertThat(projection.decide("00".repeat(16), PROJECT, T0.plusSeconds(200), projection.treeSize(),
                    RuleMode.EHDS_ART_71_3).reason()).isEqualTo(Reason.NO_CONSENT);
            assertThat(projection.allowed(PROJECT, T0.plusSeconds(200), projection.treeSize(), RuleMode.EHDS_ART_71_3)
                    .size()).isEqualTo(1);
            assertThat(projection.allowed(PROJECT, T0.plusSeconds(120), projection.treeSize(), RuleMode.EHDS_ART_71_3)
                    .size()).isEqualTo(2);
            // as the log stood before the basis was set, the project was an opt-out one
            assertThat(projection.decide(OTHER, PROJECT, T0.plusSeconds(200), 2, RuleMode.EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.NO_OPT_OUT);
        }

        @Test
        void a_new_notice_calls_for_a_new_consent_and_a_withdrawal_then_ends_the_new_one() {
            projection.apply(new LegalBasisSet(PROJECT, LegalBasis.CONSENT, "notice", "staff", T0.plusSeconds(10)), 2L);
            projection.apply(consent(PERSON, 20, null), 3L);
            projection.apply(new LegalBasisSet(PROJECT, LegalBasis.CONSENT, "new notice", "staff", T0.plusSeconds(30)),
                    4L);
            assertThat(decideAt(200).reason()).isEqualTo(Reason.NO_CONSENT);

            projection.apply(consent(PERSON, 40, null), 5L);
            projection.apply(consent(PERSON, 40, null), 5L); // the same event twice changes nothing
            assertThat(decideAt(200).reason()).isEqualTo(Reason.CONSENT_IN_FORCE);

            projection.apply(new ConsentWithdrawn(PERSON, OptOutScope.project(PROJECT), Channel.PORTAL, "citizen",
                    T0.plusSeconds(150)), 6L);
            assertThat(decideAt(200).reason()).isEqualTo(Reason.CONSENT_WITHDRAWN);
        }

        @Test
        void a_withdrawal_has_effect_for_extracts_after_it_and_nobody_consenting_allows_nobody() {
            projection.apply(new LegalBasisSet(PROJECT, LegalBasis.CONSENT, "notice", "staff", T0.plusSeconds(10)), 2L);
            assertThat(projection.allowed(PROJECT, T0.plusSeconds(200), projection.treeSize(), RuleMode.EHDS_ART_71_3)
                    .size()).isZero();

            projection.apply(consent(PERSON, 20, null), 3L);
            projection.apply(new ConsentWithdrawn(PERSON, OptOutScope.project(PROJECT), Channel.PORTAL, "citizen",
                    T0.plusSeconds(150)), 4L);

            assertThat(decideAt(140).reason()).isEqualTo(Reason.CONSENT_IN_FORCE);
            assertThat(decideAt(160).reason()).isEqualTo(Reason.CONSENT_WITHDRAWN);
            assertThat(projection.allowed(PROJECT, T0.plusSeconds(160), projection.treeSize(), RuleMode.EHDS_ART_71_3)
                    .size()).isZero();
        }
    }
}
