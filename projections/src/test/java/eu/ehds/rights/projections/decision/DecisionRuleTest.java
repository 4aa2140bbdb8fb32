package eu.ehds.rights.projections.decision;

import static eu.ehds.rights.projections.decision.RuleMode.EHDS_ART_71_3;
import static eu.ehds.rights.projections.decision.RuleMode.STRICT_FUTURE_EXTRACTS;
import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecisionRuleTest {

    /** Minutes after this origin: the permit is approved at 100, extracts are made at 200 unless said. */
    private static final Instant ORIGIN = Instant.parse("2026-03-01T00:00:00Z");
    private static final int PERMIT = 100;
    private static final int EXTRACT = 200;
    private static final String PROJECT = "prj-a";

    private static Instant at(int minutes) {
        return ORIGIN.plusSeconds(60L * minutes);
    }

    private static ProjectFacts permitted() {
        return new ProjectFacts(PROJECT, PurposeCategory.SCIENTIFIC_RESEARCH, at(PERMIT), null, null);
    }

    private static OptOutPeriod period(OptOutScope scope, int registered, Integer withdrawn) {
        return new OptOutPeriod(scope, at(registered), withdrawn == null ? null : at(withdrawn));
    }

    private static Decision decide(RuleMode mode, OptOutPeriod... periods) {
        return DecisionRule.decide(permitted(), List.of(periods), at(EXTRACT), mode);
    }

    @Nested
    class OneGlobalOptOut {

        @ParameterizedTest(name = "{0}: registered {1}, withdrawn {2} -> {3} {4}")
        @CsvSource(nullValues = "-", value = {
                // mode,                 registered, withdrawn, allowed, reason
                "EHDS_ART_71_3,          50,  -,   false, OPTED_OUT_GLOBAL",      // before the permit
                "EHDS_ART_71_3,          100, -,   false, OPTED_OUT_GLOBAL",      // same instant as the permit
                "EHDS_ART_71_3,          101, -,   true,  OPT_OUT_AFTER_PERMIT",  // just after the permit
                "EHDS_ART_71_3,          200, -,   true,  OPT_OUT_AFTER_PERMIT",  // at the extract, after the permit
                "EHDS_ART_71_3,          250, -,   true,  NO_OPT_OUT",            // after the extract
                "EHDS_ART_71_3,          50,  80,  true,  NO_OPT_OUT",            // withdrawn before the permit
                "EHDS_ART_71_3,          50,  150, true,  NO_OPT_OUT",            // withdrawn before the extract
                "EHDS_ART_71_3,          50,  200, true,  NO_OPT_OUT",            // withdrawn at the extract instant
                "EHDS_ART_71_3,          50,  201, false, OPTED_OUT_GLOBAL",      // withdrawn after the extract
                "EHDS_ART_71_3,          150, 180, true,  NO_OPT_OUT",
                "STRICT_FUTURE_EXTRACTS, 50,  -,   false, OPTED_OUT_GLOBAL",
                "STRICT_FUTURE_EXTRACTS, 101, -,   false, OPTED_OUT_GLOBAL",      // after the permit still applies
                "STRICT_FUTURE_EXTRACTS, 200, -,   false, OPTED_OUT_GLOBAL",      // registered at the extract instant
                "STRICT_FUTURE_EXTRACTS, 201, -,   true,  NO_OPT_OUT",
                "STRICT_FUTURE_EXTRACTS, 50,  200, true,  NO_OPT_OUT",
                "STRICT_FUTURE_EXTRACTS, 150, 250, false, OPTED_OUT_GLOBAL",
        })
        void decides_by_the_registration_and_withdrawal_instants(RuleMode mode, int registered, Integer withdrawn,
                                                                 boolean allowed, Reason reason) {
            Decision decision = decide(mode, period(OptOutScope.global(), registered, withdrawn));
            assertThat(decision).isEqualTo(new Decision(allowed, reason, mode));
        }
    }

    @Nested
    class ReRegistration {

        @Test
        void a_second_opt_out_after_the_permit_does_not_revive_the_first_under_art_71_3() {
            OptOutPeriod first = period(OptOutScope.global(), 50, 150);
            OptOutPeriod second = period(OptOutScope.global(), 180, null);
            assertThat(decide(EHDS_ART_71_3, first, second).reason()).isEqualTo(Reason.OPT_OUT_AFTER_PERMIT);
            assertThat(decide(STRICT_FUTURE_EXTRACTS, first, second).reason()).isEqualTo(Reason.OPTED_OUT_GLOBAL);
        }

        @Test
        void re_registered_before_the_permit_excludes() {
            assertThat(decide(EHDS_ART_71_3, period(OptOutScope.global(), 10, 20), period(OptOutScope.global(), 90, null))
                    .reason()).isEqualTo(Reason.OPTED_OUT_GLOBAL);
        }

        @Test
        void the_same_instant_for_withdrawal_and_new_registration_leaves_the_person_opted_out() {
            assertThat(decide(STRICT_FUTURE_EXTRACTS, period(OptOutScope.global(), 10, 150),
                    period(OptOutScope.global(), 150, null)).allowed()).isFalse();
        }
    }

    @Nested
    class Scopes {

        @Test
        void purpose_and_project_opt_outs_cover_only_their_project() {
            OptOutScope research = OptOutScope.purpose(PurposeCategory.SCIENTIFIC_RESEARCH);
            OptOutScope statistics = OptOutScope.purpose(PurposeCategory.STATISTICS);
            assertThat(decide(EHDS_ART_71_3, period(research, 50, null)).reason()).isEqualTo(Reason.OPTED_OUT_PURPOSE);
            assertThat(decide(EHDS_ART_71_3, period(statistics, 50, null)).reason()).isEqualTo(Reason.NO_OPT_OUT);
            assertThat(decide(EHDS_ART_71_3, period(OptOutScope.project(PROJECT), 50, null)).reason())
                    .isEqualTo(Reason.OPTED_OUT_PROJECT);
            assertThat(decide(EHDS_ART_71_3, period(OptOutScope.project("prj-other"), 50, null)).reason())
                    .isEqualTo(Reason.NO_OPT_OUT);
        }

        @Test
        void several_scopes_name_the_broadest() {
            OptOutPeriod global = period(OptOutScope.global(), 60, null);
            OptOutPeriod purpose = period(OptOutScope.purpose(PurposeCategory.SCIENTIFIC_RESEARCH), 50, null);
            OptOutPeriod project = period(OptOutScope.project(PROJECT), 40, null);
            assertThat(decide(EHDS_ART_71_3, project, purpose, global).reason()).isEqualTo(Reason.OPTED_OUT_GLOBAL);
            assertThat(decide(EHDS_ART_71_3, project, purpose).reason()).isEqualTo(Reason.OPTED_OUT_PURPOSE);
        }

        @Test
        void a_withdrawn_broad_scope_leaves_the_narrow_one_in_force() {
            assertThat(decide(EHDS_ART_71_3, period(OptOutScope.global(), 50, 150),
                    period(OptOutScope.project(PROJECT), 60, null)).reason()).isEqualTo(Reason.OPTED_OUT_PROJECT);
        }
    }

    @Nested
    class ProjectState {

        @Test
        void a_project_without_permit_or_not_yet_permitted_excludes_everyone() {
            ProjectFacts noPermit = new ProjectFacts(PROJECT, PurposeCategory.STATISTICS, null, null, null);
            assertThat(DecisionRule.decide(noPermit, List.of(), at(EXTRACT), EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.PROJECT_NOT_PERMITTED);
            assertThat(DecisionRule.decide(permitted(), List.of(), at(PERMIT - 1), EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.PROJECT_NOT_PERMITTED);
            assertThat(DecisionRule.decide(permitted(), List.of(), at(PERMIT), EHDS_ART_71_3).allowed()).isTrue();
        }

        @Test
        void a_closed_project_excludes_from_its_closure_on() {
            ProjectFacts closed = new ProjectFacts(PROJECT, PurposeCategory.STATISTICS, at(PERMIT), null, at(EXTRACT));
            assertThat(DecisionRule.decide(closed, List.of(), at(EXTRACT), EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.PROJECT_CLOSED);
            assertThat(DecisionRule.decide(closed, List.of(), at(EXTRACT - 1), EHDS_ART_71_3).allowed()).isTrue();
        }

        @Test
        void an_unknown_project_excludes() {
            assertThat(DecisionRule.decide(null, List.of(), at(EXTRACT), EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.UNKNOWN_PROJECT);
        }

        @Test
        void a_derogation_overrides_opt_outs_from_its_recording_on_and_says_so() {
            ProjectFacts derogated = new ProjectFacts(PROJECT, PurposeCategory.PUBLIC_HEALTH, at(PERMIT), at(150), null);
            List<OptOutPeriod> optedOut = List.of(period(OptOutScope.global(), 50, null));
            assertThat(DecisionRule.decide(derogated, optedOut, at(EXTRACT), EHDS_ART_71_3))
                    .isEqualTo(new Decision(true, Reason.DEROGATION, EHDS_ART_71_3));
            assertThat(DecisionRule.decide(derogated, optedOut, at(140), EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.OPTED_OUT_GLOBAL);
            assertThat(DecisionRule.decide(derogated, List.of(), at(EXTRACT), EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.NO_OPT_OUT);
        }
    }

    @Nested
    class TimeZones {

        @Test
        void instants_written_with_offsets_compare_as_instants() {
            Instant permit = Instant.parse("2026-03-01T10:00:00+01:00");
            ProjectFacts project = new ProjectFacts(PROJECT, PurposeCategory.STATISTICS, permit, null, null);
            OptOutPeriod sameInstant = new OptOutPeriod(OptOutScope.global(),
                    Instant.parse("2026-03-01T09:00:00Z"), null);
            OptOutPeriod oneSecondLater = new OptOutPeriod(OptOutScope.global(),
                    Instant.parse("2026-03-01T04:00:01-05:00"), null);
            Instant extract = Instant.parse("2026-03-02T00:00:00+14:00");
            assertThat(DecisionRule.decide(project, List.of(sameInstant), extract, EHDS_ART_71_3).allowed()).isFalse();
            assertThat(DecisionRule.decide(project, List.of(oneSecondLater), extract, EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.OPT_OUT_AFTER_PERMIT);
        }
    }

    @Nested
    class Properties {

        /** Every registration/withdrawal pair on a grid around the permit and extract instants. */
        @Test
        void the_strict_rule_excludes_whenever_the_art_71_3_rule_does_and_withdrawals_by_the_extract_always_allow() {
            List<Integer> instants = new ArrayList<>();
            for (int t = 0; t <= 300; t += 25) {
                instants.add(t);
            }
            instants.addAll(List.of(PERMIT - 1, PERMIT + 1, EXTRACT - 1, EXTRACT + 1));
            int checked = 0;
            for (int registered : instants) {
                for (Integer withdrawn : withNull(instants)) {
                    if (withdrawn != null && withdrawn <= registered) {
                        continue;
                    }
                    OptOutPeriod p = period(OptOutScope.global(), registered, withdrawn);
                    Decision art = decide(EHDS_ART_71_3, p);
                    Decision strict = decide(STRICT_FUTURE_EXTRACTS, p);
                    if (!art.allowed()) {
                        assertThat(strict.allowed()).as("r=%d w=%s", registered, withdrawn).isFalse();
                    }
                    if (withdrawn != null && withdrawn <= EXTRACT || registered > EXTRACT) {
                        assertThat(art.allowed() && strict.allowed()).as("r=%d w=%s", registered, withdrawn).isTrue();
                    }
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(100);
        }

        private static List<Integer> withNull(List<Integer> values) {
            List<Integer> out = new ArrayList<>(values);
            out.add(null);
            return out;
        }
    }

    /** A consent project: only persons whose consent covering it is in force at the extract (200) may be included. */
    @Nested
    class ConsentProject {

        private final ProjectFacts cohort = new ProjectFacts(PROJECT, PurposeCategory.SCIENTIFIC_RESEARCH, at(PERMIT),
                null, null, eu.ehds.rights.ledger.api.project.LegalBasis.CONSENT);

        private OptOutScope scope(String name) {
            return switch (name) {
                case "GLOBAL" -> OptOutScope.global();
                case "PURPOSE" -> OptOutScope.purpose(PurposeCategory.SCIENTIFIC_RESEARCH);
                case "OTHER_PURPOSE" -> OptOutScope.purpose(PurposeCategory.STATISTICS);
                case "PROJECT" -> OptOutScope.project(PROJECT);
                default -> OptOutScope.project("prj-other");
            };
        }

        @ParameterizedTest(name = "consent {0} given {1}, until {2}, withdrawn {3}; opt-out {4} at {5} -> {6} {7}")
        @CsvSource(nullValues = "-", value = {
                // consent scope, given, until, withdrawn, opt-out scope, opt-out at, allowed, reason
                "-,             -,   -,   -,   -,             -,   false, NO_CONSENT",        // nobody consented
                "PROJECT,       50,  -,   -,   -,             -,   true,  CONSENT_IN_FORCE",  // before the permit
                "PROJECT,       150, -,   -,   -,             -,   true,  CONSENT_IN_FORCE",  // after the permit
                "PROJECT,       200, -,   -,   -,             -,   true,  CONSENT_IN_FORCE",  // at the extract
                "PROJECT,       201, -,   -,   -,             -,   false, NO_CONSENT",        // after the extract
                "PROJECT,       50,  -,   150, -,             -,   false, CONSENT_WITHDRAWN", // withdrawn before it
                "PROJECT,       50,  -,   200, -,             -,   false, CONSENT_WITHDRAWN", // withdrawn at it
                "PROJECT,       50,  -,   201, -,             -,   true,  CONSENT_IN_FORCE",  // withdrawn after it
                "PROJECT,       50,  150, -,   -,             -,   false, CONSENT_EXPIRED",   // ended before it
                "PROJECT,       50,  200, -,   -,             -,   false, CONSENT_EXPIRED",   // ended at it
                "PROJECT,       50,  201, -,   -,             -,   true,  CONSENT_IN_FORCE",  // ends after it
                "PROJECT,       50,  180, 150, -,             -,   false, CONSENT_WITHDRAWN", // withdrawn before its end
                "GLOBAL,        50,  -,   -,   -,             -,   true,  CONSENT_IN_FORCE",  // long-term consent
                "PURPOSE,       50,  -,   -,   -,             -,   true,  CONSENT_IN_FORCE",
                "OTHER_PURPOSE, 50,  -,   -,   -,             -,   false, NO_CONSENT",        // does not cover it
                "OTHER_PROJECT, 50,  -,   -,   -,             -,   false, NO_CONSENT",
                "PROJECT,       50,  -,   -,   GLOBAL,        40,  true,  CONSENT_IN_FORCE",  // narrower consent wins
                "PROJECT,       50,  -,   -,   PURPOSE,       190, true,  CONSENT_IN_FORCE",
                "PROJECT,       50,  -,   -,   PROJECT,       190, false, OPTED_OUT_PROJECT", // equal scope: refusal wins
                "PURPOSE,       50,  -,   -,   PROJECT,       60,  false, OPTED_OUT_PROJECT", // narrower opt-out wins
                "PURPOSE,       50,  -,   -,   GLOBAL,        60,  true,  CONSENT_IN_FORCE",
                "GLOBAL,        50,  -,   -,   GLOBAL,        190, false, OPTED_OUT_GLOBAL",  // after the permit too
                "GLOBAL,        50,  -,   -,   PURPOSE,       60,  false, OPTED_OUT_PURPOSE",
                "PROJECT,       50,  -,   -,   PROJECT,       201, true,  CONSENT_IN_FORCE",  // opt-out after the extract
        })
        void consent_decides_with_opt_outs_as_narrow_or_narrower(String consentScope, Integer given, Integer until,
                                                                 Integer withdrawn, String optOutScope,
                                                                 Integer optOutAt, boolean allowed, Reason reason) {
            List<ConsentPeriod> consents = consentScope == null ? List.of() : List.of(new ConsentPeriod(
                    scope(consentScope), at(given), until == null ? null : at(until),
                    withdrawn == null ? null : at(withdrawn)));
            List<OptOutPeriod> optOuts = optOutScope == null ? List.of()
                    : List.of(period(scope(optOutScope), optOutAt, null));

            for (RuleMode mode : RuleMode.values()) {
                Decision d = DecisionRule.decide(cohort, optOuts, consents, at(EXTRACT), mode);
                assertThat(d.allowed()).as("%s", mode).isEqualTo(allowed);
                assertThat(d.reason()).as("%s", mode).isEqualTo(reason);
            }
        }

        @Test
        void a_consent_given_again_after_a_withdrawal_counts_and_the_latest_end_names_the_reason() {
            List<ConsentPeriod> againAfterWithdrawal = List.of(
                    new ConsentPeriod(OptOutScope.project(PROJECT), at(10), null, at(20)),
                    new ConsentPeriod(OptOutScope.project(PROJECT), at(30), null, null));
            List<ConsentPeriod> withdrawnThenExpired = List.of(
                    new ConsentPeriod(OptOutScope.project(PROJECT), at(10), null, at(20)),
                    new ConsentPeriod(OptOutScope.global(), at(30), at(60), null));

            assertThat(DecisionRule.decide(cohort, List.of(), againAfterWithdrawal, at(EXTRACT), EHDS_ART_71_3)
                    .reason()).isEqualTo(Reason.CONSENT_IN_FORCE);
            assertThat(DecisionRule.decide(cohort, List.of(), withdrawnThenExpired, at(EXTRACT), EHDS_ART_71_3)
                    .reason()).isEqualTo(Reason.CONSENT_EXPIRED);
        }

        @Test
        void a_derogation_does_not_replace_consent_and_the_project_checks_come_first() {
            ProjectFacts derogated = new ProjectFacts(PROJECT, PurposeCategory.SCIENTIFIC_RESEARCH, at(PERMIT),
                    at(PERMIT), null, eu.ehds.rights.ledger.api.project.LegalBasis.CONSENT);
            ProjectFacts unpermitted = new ProjectFacts(PROJECT, PurposeCategory.SCIENTIFIC_RESEARCH, null, null,
                    null, eu.ehds.rights.ledger.api.project.LegalBasis.CONSENT);
            List<ConsentPeriod> consent = List.of(new ConsentPeriod(OptOutScope.global(), at(10), null, null));

            assertThat(DecisionRule.decide(derogated, List.of(), List.of(), at(EXTRACT), EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.NO_CONSENT);
            assertThat(DecisionRule.decide(unpermitted, List.of(), consent, at(EXTRACT), EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.PROJECT_NOT_PERMITTED);
        }

        @Test
        void a_consent_to_a_project_given_before_its_current_notice_does_not_cover_it() {
            ProjectFacts newNotice = new ProjectFacts(PROJECT, PurposeCategory.SCIENTIFIC_RESEARCH, at(PERMIT), null,
                    null, eu.ehds.rights.ledger.api.project.LegalBasis.CONSENT, at(150));
            List<ConsentPeriod> before = List.of(new ConsentPeriod(OptOutScope.project(PROJECT), at(10), null, null));
            List<ConsentPeriod> after = List.of(new ConsentPeriod(OptOutScope.project(PROJECT), at(160), null, null));
            List<ConsentPeriod> research = List.of(new ConsentPeriod(OptOutScope.purpose(
                    PurposeCategory.SCIENTIFIC_RESEARCH), at(10), null, null));

            assertThat(DecisionRule.decide(newNotice, List.of(), before, at(EXTRACT), EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.NO_CONSENT);
            assertThat(DecisionRule.decide(newNotice, List.of(), after, at(EXTRACT), EHDS_ART_71_3).reason())
                    .isEqualTo(Reason.CONSENT_IN_FORCE);
            assertThat(DecisionRule.decide(newNotice, List.of(), research, at(EXTRACT), EHDS_ART_71_3).reason())
                    .as("a consent to the purpose was to the portal's text, not the project's").isEqualTo(
                            Reason.CONSENT_IN_FORCE);
        }

        @Test
        void an_opt_out_project_is_unchanged_by_consents() {
            List<ConsentPeriod> consent = List.of(new ConsentPeriod(OptOutScope.project(PROJECT), at(10), null, null));

            assertThat(DecisionRule.decide(permitted(), List.of(period(OptOutScope.global(), 50, null)), consent,
                    at(EXTRACT), EHDS_ART_71_3).reason()).isEqualTo(Reason.OPTED_OUT_GLOBAL);
        }
    }
}
