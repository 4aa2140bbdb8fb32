package eu.ehds.rights.portal.choice;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.objection.RegisterNotificationObjectionCommand;
import eu.ehds.rights.ledger.api.objection.WithdrawNotificationObjectionCommand;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import java.time.Clock;
import org.springframework.stereotype.Service;

/**
 * The one way an objection to being told of significant findings (EHDS Art. 58(3), 61(5)) is recorded or withdrawn,
 * from the staff API, the staff's request form and the citizens' pages alike. {@code person} is already a pseudonym.
 */
@Service
public class NotificationObjections {

    /** What a retry with the same idempotency key must repeat exactly. */
    private record Fingerprint(String person, Channel channel, String recordedBy) {
    }

    private final LedgerCommands commands;
    private final Clock clock;

    NotificationObjections(LedgerCommands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    public CommandReceipt object(String person, Channel channel, String recordedBy, String idempotencyKey) {
        return commands.submit("notification-objections/register", new Fingerprint(person, channel, recordedBy),
                idempotencyKey, () -> new RegisterNotificationObjectionCommand(person, channel, recordedBy,
                        clock.instant(), idempotencyKey));
    }

    public CommandReceipt withdraw(String person, Channel channel, String recordedBy, String idempotencyKey) {
        return commands.submit("notification-objections/withdraw", new Fingerprint(person, channel, recordedBy),
                idempotencyKey, () -> new WithdrawNotificationObjectionCommand(person, channel, recordedBy,
                        clock.instant(), idempotencyKey));
    }
}
