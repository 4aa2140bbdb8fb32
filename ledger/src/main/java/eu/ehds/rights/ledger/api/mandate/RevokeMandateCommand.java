package eu.ehds.rights.ledger.api.mandate;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Ends a representative mandate before its term. */
public record RevokeMandateCommand(@TargetAggregateIdentifier String mandateId, String reason, String recordedBy,
                                   Instant revokedAt, String idempotencyKey) implements IdempotentCommand {

    public RevokeMandateCommand {
        Require.text(mandateId, "mandateId", 64);
        reason = Require.text(reason, "reason", 1000);
        Require.recorded(recordedBy, idempotencyKey);
        Require.present(revokedAt, "revokedAt");
    }
}
