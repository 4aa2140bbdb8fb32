package eu.ehds.rights.ledger.api.objection;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A person accepts again to be informed of significant findings. */
public record WithdrawNotificationObjectionCommand(
        @TargetAggregateIdentifier String person,
        Channel channel,
        String recordedBy,
        Instant withdrawnAt,
        String idempotencyKey) implements IdempotentCommand {

    public WithdrawNotificationObjectionCommand {
        Require.hex(person, "person pseudonym", 32);
        Require.present(channel, "channel");
        Require.text(recordedBy, "recordedBy", 200);
        Require.present(withdrawnAt, "withdrawnAt");
        Require.idempotencyKey(idempotencyKey);
    }
}
