package eu.ehds.rights.projections.finding;

import eu.ehds.rights.ledger.api.finding.Recipient;
import eu.ehds.rights.ledger.api.finding.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** A significant finding's journey: each hop with when it happened, and each channel's outcome. */
public record FindingView(String findingId, String projectId, String person, Severity severity, Instant reportedAt,
                          String dataHolder, Instant forwardedAt, Recipient recipient, Instant acknowledgedAt,
                          Map<String, Outcome> outcomes) {

    /** Where a finding stands. */
    public enum Stage { REPORTED, FORWARDED, ACKNOWLEDGED, SETTLED }

    /** A channel's outcome: {@code DELIVERED} or a suppression reason, and when. */
    public record Outcome(String result, Instant at) {
    }

    /** How long each hop may take before it is overdue. */
    public record Deadlines(Duration forward, Duration acknowledge, Duration deliver) {
    }

    public Stage stage() {
        if (acknowledgedAt != null) {
            int expected = recipient == Recipient.PERSON ? 2 : 1;
            return outcomes.size() >= expected ? Stage.SETTLED : Stage.ACKNOWLEDGED;
        }
        return forwardedAt != null ? Stage.FORWARDED : Stage.REPORTED;
    }

    /** When the current hop is due, or {@code null} once settled. */
    public Instant dueAt(Deadlines deadlines) {
        return switch (stage()) {
            case REPORTED -> reportedAt.plus(deadlines.forward());
            case FORWARDED -> forwardedAt.plus(deadlines.acknowledge());
            case ACKNOWLEDGED -> acknowledgedAt.plus(deadlines.deliver());
            case SETTLED -> null;
        };
    }

    public boolean overdue(Deadlines deadlines, Instant now) {
        Instant due = dueAt(deadlines);
        return due != null && now.isAfter(due);
    }
}
