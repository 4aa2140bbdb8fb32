package eu.ehds.rights.ledger.api.finding;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records the outcome of one channel's delivery: delivered ({@code suppressedReason} null) or suppressed with a
 * {@link SuppressionReason}.
 */
public record RecordFindingDeliveryCommand(@TargetAggregateIdentifier String findingId, DeliveryChannel channel,
                                           SuppressionReason suppressedReason, String recordedBy, Instant at,
                                           String idempotencyKey) implements IdempotentCommand {

    public RecordFindingDeliveryCommand {
        Require.text(findingId, "findingId", 64);
        Require.present(channel, "channel");
        Require.recorded(recordedBy, idempotencyKey);
        Require.present(at, "at");
    }
}
