package eu.ehds.rights.ledger.api.finding;

import java.time.Instant;

/**
 * Event type {@code SignificantFindingDeliverySuppressed}, revision 1: the notice was not sent through a channel,
 * and the recipient was not contacted through it. Reasons: {@code OBJECTION} (the person objects to being informed,
 * checked at delivery), {@code NO_CONTACT} (no address is held for the recipient),
 * {@code NO_CHANNEL} (this installation has no e-mail service).
 */
public record SignificantFindingDeliverySuppressed(String findingId, DeliveryChannel channel, SuppressionReason reason,
                                                   String recordedBy, Instant suppressedAt) {
}
