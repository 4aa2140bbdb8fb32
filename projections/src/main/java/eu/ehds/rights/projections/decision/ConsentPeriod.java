package eu.ehds.rights.projections.decision;

import eu.ehds.rights.ledger.api.optout.OptOutScope;
import java.time.Instant;

/**
 * One consent of a person: given at {@code givenAt}, until {@code validUntil} (exclusive; {@code null}: no end) or
 * its withdrawal ({@code null} while not withdrawn), whichever comes first.
 */
public record ConsentPeriod(OptOutScope scope, Instant givenAt, Instant validUntil, Instant withdrawnAt) {

    /** In force at {@code t}: given at or before t, neither withdrawn nor expired at or before t. */
    boolean inForceAt(Instant t) {
        return !givenAt.isAfter(t) && (withdrawnAt == null || withdrawnAt.isAfter(t))
                && (validUntil == null || validUntil.isAfter(t));
    }

    /** When it stopped having effect, if it had by {@code t}; and whether by withdrawal. */
    Instant endedBy(Instant t) {
        Instant end = withdrawnAt == null ? validUntil
                : validUntil == null || withdrawnAt.isBefore(validUntil) ? withdrawnAt : validUntil;
        return end != null && !end.isAfter(t) ? end : null;
    }

    boolean withdrawnBefore(Instant end) {
        return withdrawnAt != null && !withdrawnAt.isAfter(end);
    }

    /**
     * Covers the project: global, its purpose, or the project itself, in which case it must have been given to the
     * project's current notice (not before it was published).
     */
    boolean covers(ProjectFacts project) {
        if (scope.type() == OptOutScope.Type.PROJECT && project.noticeSince() != null
                && givenAt.isBefore(project.noticeSince())) {
            return false;
        }
        return new OptOutPeriod(scope, givenAt, null).covers(project);
    }
}
