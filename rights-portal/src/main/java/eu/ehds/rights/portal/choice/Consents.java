package eu.ehds.rights.portal.choice;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.consent.GiveConsentCommand;
import eu.ehds.rights.ledger.api.consent.WithdrawConsentCommand;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.springframework.stereotype.Service;

/**
 * The one way a consent is given or withdrawn, whoever asks (the staff API, a citizen or their representative on the
 * portal): it names the action, fingerprints the request for its idempotency key and builds the command.
 * {@code person} is already a pseudonym. A consent chosen "until" a date holds through that date, in France's time.
 */
@Service
public class Consents {

    static final ZoneId ZONE = ZoneId.of("Europe/Paris");

    /** What a retry with the same idempotency key must repeat exactly. */
    private record Given(String person, OptOutScope scope, Channel channel, String recordedBy, LocalDate validUntil,
                         String noticeSha256) {
    }

    private record Withdrawn(String person, OptOutScope scope, Channel channel, String recordedBy) {
    }

    private final LedgerCommands commands;
    private final Clock clock;

    Consents(LedgerCommands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    public CommandReceipt give(String person, OptOutScope scope, Channel channel, String recordedBy,
                               LocalDate validUntil, String noticeSha256, String idempotencyKey) {
        Instant end = validUntil == null ? null : validUntil.plusDays(1).atStartOfDay(ZONE).toInstant();
        return commands.submit("consents/give", new Given(person, scope, channel, recordedBy, validUntil,
                noticeSha256), idempotencyKey, () -> new GiveConsentCommand(person, scope, channel, recordedBy,
                clock.instant(), end, noticeSha256, idempotencyKey));
    }

    public CommandReceipt withdraw(String person, OptOutScope scope, Channel channel, String recordedBy,
                                   String idempotencyKey) {
        return commands.submit("consents/withdraw", new Withdrawn(person, scope, channel, recordedBy), idempotencyKey,
                () -> new WithdrawConsentCommand(person, scope, channel, recordedBy, clock.instant(), idempotencyKey));
    }
}
