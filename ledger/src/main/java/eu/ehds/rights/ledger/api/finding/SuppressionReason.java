package eu.ehds.rights.ledger.api.finding;

/** Why a notice of a significant finding was not delivered on a channel. */
public enum SuppressionReason {
    /** The person objected to being told (EHDS Art. 58(3), 61(5)), checked at delivery. */
    OBJECTION,
    /** No address to reach the person or the professional on this channel. */
    NO_CONTACT,
    /** The channel is not configured on this ledger (no SMTP server). */
    NO_CHANNEL
}
