package eu.ehds.rights.projections.decision;

import eu.ehds.rights.ledger.api.project.LegalBasis;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import java.time.Instant;

/**
 * What the rule needs to know of a project. Times are {@code null} when the thing has not happened;
 * {@code noticeSince} is when a consent project's current notice was published (a consent to the project given
 * before it was given to another text).
 */
public record ProjectFacts(String projectId, PurposeCategory purpose, Instant permitApprovedAt, Instant derogationAt,
                           Instant closedAt, LegalBasis legalBasis, Instant noticeSince) {

    /** A project on a basis set at registration (a consent project's notice published then, or never changed). */
    public ProjectFacts(String projectId, PurposeCategory purpose, Instant permitApprovedAt, Instant derogationAt,
                        Instant closedAt, LegalBasis legalBasis) {
        this(projectId, purpose, permitApprovedAt, derogationAt, closedAt, legalBasis, null);
    }

    /** A project on the default basis, opt-out. */
    public ProjectFacts(String projectId, PurposeCategory purpose, Instant permitApprovedAt, Instant derogationAt,
                        Instant closedAt) {
        this(projectId, purpose, permitApprovedAt, derogationAt, closedAt, LegalBasis.OPT_OUT);
    }
}
