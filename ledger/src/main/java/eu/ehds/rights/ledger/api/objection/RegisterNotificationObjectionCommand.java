package eu.ehds.rights.ledger.api.objection;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A person objects to being informed of significant findings about their health (EHDS Art. 58(3)). */
public record RegisterNotificationObjectionCommand(@TargetAggregateIdentifier String person, Channel channel,
                                                   String recordedBy, Instant registeredAt,
                                                   String idempotencyKey) implements IdempotentCommand {

    public RegisterNotificationObjectionCommand {
        Require.personChoice(person, channel, recordedBy, registeredAt, "registeredAt", idempotencyKey);
    }
}
