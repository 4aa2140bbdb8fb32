package eu.ehds.rights.portal.choice;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.consent.GiveConsentCommand;
import eu.ehds.rights.ledger.api.consent.WithdrawConsentCommand;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;

/**
 * The one way a consent is given or withdrawn, whoever asks (the staff API, a citizen or their representative on the
 * portal): it names the action, fingerprints the request for its idempotency key and builds the command.
 * {@code person} is already a pseudonym. A consent chosen "until" a date holds through that date, in France's time.
 */
@Service
public class Consents {

    /** France's time, in which a consent "until" a date holds through that date. */
    public static final ZoneId ZONE = ZoneId.of("Europe/Paris");

    /** What a retry with the same idempotency key must repeat exactly. */
    private record Given(String person, OptOutScope scope, Channel channel, String recordedBy, LocalDate validUntil,
                         String noticeSha256) {
    }

    private record Withdrawn(String person, OptOutScope scope, Channel channel, String recordedBy) {
    }

    private final LedgerCommands commands;
    private final Clock clock;
    private final PublicRegisterProjection register;
    private final MessageSource messages;

    Consents(LedgerCommands commands, Clock clock, PublicRegisterProjection register, MessageSource messages) {
        this.commands = commands;
        this.clock = clock;
        this.register = register;
        this.messages = messages;
    }

    /**
     * The information notice a person reads before consenting in this scope: a consent project's own (published on
     * its sheet), or the portal's own for a purpose or for every reuse, in the language given.
     */
    public String notice(OptOutScope scope, Locale locale) {
        return switch (scope.type()) {
            case PROJECT -> register.consentBasis(scope.value()).map(PublicRegisterProjection.BasisChange::consentNotice)
                    .orElseThrow(() -> new NotFoundException("no project '" + scope.value()
                            + "' in the register asks for consent"));
            case PURPOSE -> messages.getMessage("consent.notice.purpose", new Object[] {messages.getMessage(
                    "purpose." + scope.value(), null, locale)}, locale);
            case GLOBAL -> messages.getMessage("consent.notice.global", null, locale);
        };
    }

    /**
     * Records a consent after checking that {@code noticeSha256} is the SHA-256 of the notice published for this
     * scope now (in French or English; for a project, its own notice, so only a project that asks for consent can be
     * consented to): a consent to another text, or to nothing, is refused.
     */
    public CommandReceipt give(String person, OptOutScope scope, Channel channel, String recordedBy,
                               LocalDate validUntil, String noticeSha256, String idempotencyKey) {
        if (scope != null && scope.type() != null) {
            String[] shown = {Sha256.hex(notice(scope.validated(), Locale.FRENCH)),
                    Sha256.hex(notice(scope, Locale.ENGLISH))};
            if (!shown[0].equals(noticeSha256) && !shown[1].equals(noticeSha256)) {
                throw new InvalidRequestException("consent.notice-changed", "noticeSha256 is not the SHA-256 of the "
                        + "information notice published for this scope: the consent must be to the text the person "
                        + "read (the notice may have changed since)");
            }
        }
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
