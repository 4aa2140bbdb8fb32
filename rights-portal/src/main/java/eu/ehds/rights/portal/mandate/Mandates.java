package eu.ehds.rights.portal.mandate;

import eu.ehds.rights.ledger.api.mandate.GrantMandateCommand;
import eu.ehds.rights.ledger.api.mandate.MandateKind;
import eu.ehds.rights.ledger.api.mandate.RevokeMandateCommand;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * The one way a representative mandate is granted or revoked, from the staff API or the staff pages: it names the
 * action, fingerprints the request for its idempotency key and builds the command. Persons are already pseudonyms.
 */
@Service
public class Mandates {

    /** What a retry with the same idempotency key must repeat exactly. */
    private record Grant(String representative, String represented, MandateKind kind, Instant validUntil) {
    }

    private record Revoke(String mandateId, String reason) {
    }

    private final LedgerCommands commands;
    private final Clock clock;

    Mandates(LedgerCommands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    /** Grants a mandate; the receipt's aggregate is the new mandate's id. */
    public CommandReceipt grant(String representative, String represented, MandateKind kind, Instant validUntil,
                                String recordedBy, String idempotencyKey) {
        return commands.submit("mandates/grant", new Grant(representative, represented, kind, validUntil),
                idempotencyKey, () -> new GrantMandateCommand("mdt-" + UUID.randomUUID(), representative, represented,
                        kind, validUntil, recordedBy, clock.instant(), idempotencyKey));
    }

    public CommandReceipt revoke(String mandateId, String reason, String recordedBy, String idempotencyKey) {
        return commands.submit("mandates/revoke", new Revoke(mandateId, reason), idempotencyKey,
                () -> new RevokeMandateCommand(mandateId, reason, recordedBy, clock.instant(), idempotencyKey));
    }
}
