package eu.ehds.rights.ledger.api.consent;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.Require;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A person (by pseudonym) agrees to secondary use of their data within a scope, having read a notice. */
public record GiveConsentCommand(@TargetAggregateIdentifier String person, OptOutScope scope, Channel channel,
                                 String recordedBy, Instant givenAt, Instant validUntil, String noticeSha256,
                                 String idempotencyKey) implements IdempotentCommand {

    public GiveConsentCommand {
        Require.personChoice(person, channel, recordedBy, givenAt, "givenAt", idempotencyKey);
        Require.present(scope, "scope").validated();
        if (validUntil != null && !validUntil.isAfter(givenAt)) {
            throw new InvalidRequestException("validUntil must be a date after today");
        }
        Require.hex(noticeSha256, "noticeSha256 (the SHA-256 of the information notice shown)", 64);
    }
}
