package eu.ehds.rights.ledger.api.finding;

import java.time.Instant;

/** Event type {@code SignificantFindingForwarded}, revision 1: the access body passed the finding to a data holder. */
public record SignificantFindingForwarded(String findingId, String dataHolder, String recordedBy, Instant forwardedAt) {
}
