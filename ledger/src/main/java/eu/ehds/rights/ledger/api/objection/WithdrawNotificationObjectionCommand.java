package eu.ehds.rights.ledger.api.objection;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A person accepts again to be informed of significant findings. */
public record WithdrawNotificationObjectionCommand(@TargetAggregateIdentifier String person, Channel channel,
                                                   String recordedBy, Instant withdrawnAt,
                                                   String idempotencyKey) implements IdempotentCommand {

    public WithdrawNotificationObjectionCommand {
        Require.personChoice(person, channel, recordedBy, withdrawnAt, "withdrawnAt", idempotencyKey);
    }
}
