package eu.ehds.rights.ledger.api.finding;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The data holder the finding was forwarded to acknowledges it and chooses whom to inform. */
public record AcknowledgeFindingCommand(@TargetAggregateIdentifier String findingId, String dataHolder,
                                        Recipient recipient, String recordedBy, Instant acknowledgedAt,
                                        String idempotencyKey) implements IdempotentCommand {

    public AcknowledgeFindingCommand {
        Require.text(findingId, "findingId", 64);
        dataHolder = Require.text(dataHolder, "dataHolder", 200);
        Require.present(recipient, "recipient");
        Require.recorded(recordedBy, idempotencyKey);
        Require.present(acknowledgedAt, "acknowledgedAt");
    }
}
