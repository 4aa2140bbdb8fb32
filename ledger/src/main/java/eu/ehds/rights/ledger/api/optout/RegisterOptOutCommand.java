package eu.ehds.rights.ledger.api.optout;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A person (by pseudonym) refuses secondary use of their data within a scope (EHDS Art. 71). */
public record RegisterOptOutCommand(@TargetAggregateIdentifier String person, OptOutScope scope, Channel channel,
                                    String recordedBy, Instant registeredAt,
                                    String idempotencyKey) implements IdempotentCommand {

    public RegisterOptOutCommand {
        Require.personChoice(person, channel, recordedBy, registeredAt, "registeredAt", idempotencyKey);
        Require.present(scope, "scope").validated();
    }
}
