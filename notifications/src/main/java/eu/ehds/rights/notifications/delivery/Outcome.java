package eu.ehds.rights.notifications.delivery;

import eu.ehds.rights.ledger.api.finding.SuppressionReason;

/** What became of one notice on one channel (kept by name in the outbox). */
public enum Outcome {
    DELIVERED(null),
    OBJECTION(SuppressionReason.OBJECTION),
    NO_CONTACT(SuppressionReason.NO_CONTACT),
    NO_CHANNEL(SuppressionReason.NO_CHANNEL);

    private final SuppressionReason suppression;

    Outcome(SuppressionReason suppression) {
        this.suppression = suppression;
    }

    /** Why it was not delivered, or null when it was. */
    public SuppressionReason suppression() {
        return suppression;
    }
}
