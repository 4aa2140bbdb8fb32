package eu.ehds.rights.ledger.api.consent;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A person withdraws a consent; extracts made after it no longer rely on it. */
public record WithdrawConsentCommand(@TargetAggregateIdentifier String person, OptOutScope scope, Channel channel,
                                     String recordedBy, Instant withdrawnAt,
                                     String idempotencyKey) implements IdempotentCommand {

    public WithdrawConsentCommand {
        Require.personChoice(person, channel, recordedBy, withdrawnAt, "withdrawnAt", idempotencyKey);
        Require.present(scope, "scope").validated();
    }
}
