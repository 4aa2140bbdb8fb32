package eu.ehds.rights.projections.decision;

import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.project.LegalBasis;
import java.time.Instant;
import java.util.List;

/**
 * The EHDS Art. 71 rule, written once: may a person's data be used for a project in an extract made at
 * {@code extractAt}?
 *
 * <ol>
 *   <li>The project must hold a permit approved at or before the extract, and not be closed by then.</li>
 *   <li>An opt-out covers the project when its scope is global, the project's purpose category, or the project.</li>
 *   <li>Under {@link RuleMode#EHDS_ART_71_3} a covering opt-out excludes the person when it was registered at or
 *   before the permit's approval and is not withdrawn at or before the extract (a withdrawal re-opens use from its
 *   instant). Under {@link RuleMode#STRICT_FUTURE_EXTRACTS} it excludes when it is in force at the extract.</li>
 *   <li>A public-interest derogation recorded at or before the extract overrides opt-outs for that project.</li>
 * </ol>
 * When several opt-outs exclude, the broadest scope is named (global, then purpose, then project).
 *
 * <p>A project whose legal basis is {@link LegalBasis#CONSENT} may use only the data of persons who agreed: after the
 * project's own checks (permit, closure), a consent covering the project (global, its purpose, or the project) must
 * be in force at the extract, that is given at or before it and neither withdrawn nor past its end date by then.
 * An opt-out in force at the extract overrides the consent when its scope is as narrow as the consent's or narrower
 * (a project opt-out beats any consent; a purpose opt-out beats a purpose or global consent; a global opt-out beats a
 * global consent), while a narrower consent overrides a broader opt-out (a person who refuses reuse in general but
 * consents to one cohort is in that cohort). The opt-out's date does not matter here (Art. 71(3) concerns the opt-out
 * regime), and a public-interest derogation does not replace a consent the law requires.
 *
 * <pre>{@code
 * Decision d = DecisionRule.decide(project, periodsOfThePerson, extractAt, RuleMode.EHDS_ART_71_3);
 * }</pre>
 */
public final class DecisionRule {

    private DecisionRule() {
    }

    public static Decision decide(ProjectFacts project, List<OptOutPeriod> periods, Instant extractAt, RuleMode mode) {
        return decide(project, periods, List.of(), extractAt, mode);
    }

    public static Decision decide(ProjectFacts project, List<OptOutPeriod> periods, List<ConsentPeriod> consents,
                                  Instant extractAt, RuleMode mode) {
        Decision refused = projectRefusal(project, extractAt, mode);
        if (refused != null) {
            return refused;
        }
        if (project.legalBasis() == LegalBasis.CONSENT) {
            return byConsent(project, periods, consents, extractAt, mode);
        }
        OptOutScope.Type excludedBy = null;
        boolean laterOptOut = false;
        for (OptOutPeriod period : periods) {
            if (!period.covers(project) || !period.inForceAt(extractAt)) {
                continue;
            }
            boolean applies = mode == RuleMode.STRICT_FUTURE_EXTRACTS
                    || !period.registeredAt().isAfter(project.permitApprovedAt());
            if (applies) {
                excludedBy = broadest(excludedBy, period.scope().type());
            } else {
                laterOptOut = true;
            }
        }
        if (excludedBy == null) {
            return Decision.allow(laterOptOut ? Reason.OPT_OUT_AFTER_PERMIT : Reason.NO_OPT_OUT, mode);
        }
        if (project.derogationAt() != null && !project.derogationAt().isAfter(extractAt)) {
            return Decision.allow(Reason.DEROGATION, mode);
        }
        return Decision.exclude(optedOut(excludedBy), mode);
    }

    /**
     * Whether the project may receive extracts at all at that time (permit in force, not closed), whoever the person:
     * excluded with the project's reason, or allowed with the reason someone without opt-out or consent would get.
     */
    public static Decision forProject(ProjectFacts project, Instant extractAt, RuleMode mode) {
        Decision refused = projectRefusal(project, extractAt, mode);
        return refused != null ? refused : Decision.allow(Reason.NO_OPT_OUT, mode);
    }

    private static Decision projectRefusal(ProjectFacts project, Instant extractAt, RuleMode mode) {
        if (project == null) {
            return Decision.exclude(Reason.UNKNOWN_PROJECT, mode);
        }
        if (project.permitApprovedAt() == null || project.permitApprovedAt().isAfter(extractAt)) {
            return Decision.exclude(Reason.PROJECT_NOT_PERMITTED, mode);
        }
        if (project.closedAt() != null && !project.closedAt().isAfter(extractAt)) {
            return Decision.exclude(Reason.PROJECT_CLOSED, mode);
        }
        return null;
    }

    private static Decision byConsent(ProjectFacts project, List<OptOutPeriod> periods, List<ConsentPeriod> consents,
                                      Instant extractAt, RuleMode mode) {
        OptOutScope.Type consentedBy = null; // the narrowest consent in force
        ConsentPeriod lastEnded = null;
        Instant lastEnd = null;
        for (ConsentPeriod consent : consents) {
            if (!consent.covers(project)) {
                continue;
            }
            Instant end = consent.endedBy(extractAt);
            if (consent.inForceAt(extractAt)) {
                consentedBy = consentedBy == null || consent.scope().type().ordinal() > consentedBy.ordinal()
                        ? consent.scope().type() : consentedBy;
            } else if (end != null && (lastEnd == null || end.isAfter(lastEnd))) {
                lastEnded = consent;
                lastEnd = end;
            }
        }
        if (consentedBy == null) {
            return Decision.exclude(lastEnded == null ? Reason.NO_CONSENT
                    : lastEnded.withdrawnBefore(lastEnd) ? Reason.CONSENT_WITHDRAWN : Reason.CONSENT_EXPIRED, mode);
        }
        OptOutScope.Type excludedBy = null;
        for (OptOutPeriod period : periods) {
            if (period.covers(project) && period.inForceAt(extractAt)
                    && period.scope().type().ordinal() >= consentedBy.ordinal()) {
                excludedBy = broadest(excludedBy, period.scope().type());
            }
        }
        if (excludedBy == null) {
            return Decision.allow(Reason.CONSENT_IN_FORCE, mode);
        }
        return Decision.exclude(optedOut(excludedBy), mode);
    }

    private static Reason optedOut(OptOutScope.Type scope) {
        return switch (scope) {
            case GLOBAL -> Reason.OPTED_OUT_GLOBAL;
            case PURPOSE -> Reason.OPTED_OUT_PURPOSE;
            case PROJECT -> Reason.OPTED_OUT_PROJECT;
        };
    }

    private static OptOutScope.Type broadest(OptOutScope.Type current, OptOutScope.Type candidate) {
        return current == null || candidate.ordinal() < current.ordinal() ? candidate : current;
    }
}
