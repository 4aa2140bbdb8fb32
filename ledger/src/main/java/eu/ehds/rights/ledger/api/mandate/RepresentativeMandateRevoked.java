package eu.ehds.rights.ledger.api.mandate;

import java.time.Instant;

/** Event type {@code RepresentativeMandateRevoked}, revision 1. */
public record RepresentativeMandateRevoked(String mandateId, String reason, String recordedBy, Instant revokedAt) {
}
