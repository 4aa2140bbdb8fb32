package eu.ehds.rights.ledger.api.finding;

import java.time.Instant;

/** Event type {@code SignificantFindingAcknowledged}, revision 1: the data holder took it and chose whom to inform. */
public record SignificantFindingAcknowledged(String findingId, String dataHolder, Recipient recipient,
                                             String recordedBy, Instant acknowledgedAt) {
}
