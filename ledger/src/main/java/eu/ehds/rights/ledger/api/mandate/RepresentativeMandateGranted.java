package eu.ehds.rights.ledger.api.mandate;

import java.time.Instant;

/** Event type {@code RepresentativeMandateGranted}, revision 1. */
public record RepresentativeMandateGranted(String mandateId, String representative, String represented,
                                           MandateKind kind, Instant validUntil, String recordedBy,
                                           Instant grantedAt) {
}
