package eu.ehds.rights.portal.choice;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.optout.RegisterOptOutCommand;
import eu.ehds.rights.ledger.api.optout.WithdrawOptOutCommand;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import java.time.Clock;
import org.springframework.stereotype.Service;

/**
 * The one way an opt-out is registered or withdrawn, whoever asks (the staff API, the staff's request form, a citizen
 * or their representative on the portal): it names the action, fingerprints the request for its idempotency key and
 * builds the command. {@code person} is already a pseudonym.
 */
@Service
public class OptOuts {

    /** What a retry with the same idempotency key must repeat exactly. */
    private record Fingerprint(String person, OptOutScope scope, Channel channel, String recordedBy) {
    }

    private final LedgerCommands commands;
    private final Clock clock;

    OptOuts(LedgerCommands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    public CommandReceipt register(String person, OptOutScope scope, Channel channel, String recordedBy,
                                   String idempotencyKey) {
        return commands.submit("opt-outs/register", new Fingerprint(person, scope, channel, recordedBy), idempotencyKey,
                () -> new RegisterOptOutCommand(person, scope, channel, recordedBy, clock.instant(), idempotencyKey));
    }

    public CommandReceipt withdraw(String person, OptOutScope scope, Channel channel, String recordedBy,
                                   String idempotencyKey) {
        return commands.submit("opt-outs/withdraw", new Fingerprint(person, scope, channel, recordedBy), idempotencyKey,
                () -> new WithdrawOptOutCommand(person, scope, channel, recordedBy, clock.instant(), idempotencyKey));
    }
}
