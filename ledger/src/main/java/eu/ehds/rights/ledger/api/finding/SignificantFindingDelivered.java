package eu.ehds.rights.ledger.api.finding;

import java.time.Instant;

/** Event type {@code SignificantFindingDelivered}, revision 1: the notice reached its recipient through a channel. */
public record SignificantFindingDelivered(String findingId, DeliveryChannel channel, String recordedBy,
                                          Instant deliveredAt) {
}
