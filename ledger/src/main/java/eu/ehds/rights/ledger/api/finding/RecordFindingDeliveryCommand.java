package eu.ehds.rights.ledger.api.finding;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records the outcome of one channel's delivery: delivered ({@code suppressedReason} null) or suppressed with a
 * reason ({@code OBJECTION}, {@code NO_CONTACT}, {@code NO_CHANNEL}).
 */
public record RecordFindingDeliveryCommand(
        @TargetAggregateIdentifier String findingId,
        DeliveryChannel channel,
        String suppressedReason,
        String recordedBy,
        Instant at,
        String idempotencyKey) implements IdempotentCommand {

    public RecordFindingDeliveryCommand {
        Require.text(findingId, "findingId", 64);
        Require.present(channel, "channel");
        if (suppressedReason != null && !java.util.Set.of("OBJECTION", "NO_CONTACT", "NO_CHANNEL")
                .contains(suppressedReason)) {
            throw new InvalidRequestException("suppressedReason must be OBJECTION, NO_CONTACT or NO_CHANNEL");
        }
        Require.text(recordedBy, "recordedBy", 200);
        Require.present(at, "at");
        Require.idempotencyKey(idempotencyKey);
    }
}
