package eu.ehds.rights.projections.mandate;

import eu.ehds.rights.ledger.api.mandate.MandateKind;
import java.time.Instant;

/** A representative mandate as recorded: who may act for whom, on what basis, until when, and whether revoked. */
public record MandateView(String mandateId, String representative, String represented, MandateKind kind,
                          Instant validUntil, Instant grantedAt, Instant revokedAt) {

    /** Whether the representative may act under it at that instant: granted by then, not expired, not revoked. */
    public boolean activeAt(Instant at) {
        return !at.isBefore(grantedAt) && at.isBefore(validUntil) && (revokedAt == null || at.isBefore(revokedAt));
    }

    MandateView revoked(Instant at) {
        return new MandateView(mandateId, representative, represented, kind, validUntil, grantedAt, at);
    }
}
