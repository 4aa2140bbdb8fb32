package eu.ehds.rights.ledger.api.finding;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The access body forwards a finding to the data holder that will inform the person. */
public record ForwardFindingCommand(@TargetAggregateIdentifier String findingId, String dataHolder, String recordedBy,
                                    Instant forwardedAt, String idempotencyKey) implements IdempotentCommand {

    public ForwardFindingCommand {
        Require.text(findingId, "findingId", 64);
        dataHolder = Require.text(dataHolder, "dataHolder", 200);
        Require.recorded(recordedBy, idempotencyKey);
        Require.present(forwardedAt, "forwardedAt");
    }
}
