package eu.ehds.rights.projections.decision;

import eu.ehds.rights.ledger.api.optout.OptOutScope;
import java.time.Instant;

/** One opt-out of a person, from its registration until its withdrawal ({@code null} while in force). */
public record OptOutPeriod(OptOutScope scope, Instant registeredAt, Instant withdrawnAt) {

    /** In force at {@code t}: registered at or before t, and not withdrawn at or before t. */
    boolean inForceAt(Instant t) {
        return !registeredAt.isAfter(t) && (withdrawnAt == null || withdrawnAt.isAfter(t));
    }

    boolean covers(ProjectFacts project) {
        return switch (scope.type()) {
            case GLOBAL -> true;
            case PURPOSE -> project.purpose() != null && project.purpose().name().equals(scope.value());
            case PROJECT -> project.projectId().equals(scope.value());
        };
    }
}
