package eu.ehds.rights.ledger.api.mandate;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Staff record that a representative may act for a person until a date. */
public record GrantMandateCommand(@TargetAggregateIdentifier String mandateId, String representative,
                                  String represented, MandateKind kind, Instant validUntil, String recordedBy,
                                  Instant grantedAt, String idempotencyKey) implements IdempotentCommand {

    public GrantMandateCommand {
        Require.text(mandateId, "mandateId", 64);
        Require.hex(representative, "representative pseudonym", 32);
        Require.hex(represented, "represented pseudonym", 32);
        if (representative.equals(represented)) {
            throw new InvalidRequestException("a person cannot be their own representative");
        }
        Require.present(kind, "kind");
        Require.present(validUntil, "validUntil");
        Require.recorded(recordedBy, idempotencyKey);
        Require.present(grantedAt, "grantedAt");
        if (!validUntil.isAfter(grantedAt)) {
            throw new InvalidRequestException("validUntil must be after the time the mandate is granted");
        }
    }
}
