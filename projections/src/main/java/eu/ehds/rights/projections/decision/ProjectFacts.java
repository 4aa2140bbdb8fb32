package eu.ehds.rights.projections.decision;

import eu.ehds.rights.ledger.api.project.LegalBasis;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import java.time.Instant;

/**
 * What the rule needs to know of a project. Times are {@code null} when the thing has not happened.
 */
public record ProjectFacts(String projectId, PurposeCategory purpose, Instant permitApprovedAt, Instant derogationAt,
                           Instant closedAt, LegalBasis legalBasis) {

    /** A project on the default basis, opt-out. */
    public ProjectFacts(String projectId, PurposeCategory purpose, Instant permitApprovedAt, Instant derogationAt,
                        Instant closedAt) {
        this(projectId, purpose, permitApprovedAt, derogationAt, closedAt, LegalBasis.OPT_OUT);
    }
}
