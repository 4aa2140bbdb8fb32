package eu.ehds.rights.ledger.api.optout;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A person withdraws an opt-out they registered, which re-opens secondary use in that scope from now on. */
public record WithdrawOptOutCommand(@TargetAggregateIdentifier String person, OptOutScope scope, Channel channel,
                                    String recordedBy, Instant withdrawnAt,
                                    String idempotencyKey) implements IdempotentCommand {

    public WithdrawOptOutCommand {
        Require.personChoice(person, channel, recordedBy, withdrawnAt, "withdrawnAt", idempotencyKey);
        Require.present(scope, "scope").validated();
    }
}
