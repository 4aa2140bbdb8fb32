package eu.ehds.rights.portal.notification;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of significant-finding notifications ({@code notifications.*}). E-mail goes through the SMTP server of
 * {@code spring.mail.*} ({@code SPRING_MAIL_HOST}, {@code SPRING_MAIL_PORT}, …); without one, notices reach the portal
 * inbox only and e-mails are recorded as suppressed ({@code NO_CHANNEL}).
 *
 * @param portalUrl         the portal's public address, for the link in e-mails
 * @param from              the e-mails' sender address
 * @param masterKeyset      the Tink JSON keyset wrapping the vault's data keys ({@code NOTIFICATIONS_MASTER_KEYSET});
 *                          read from or generated into the data directory when not supplied (see {@link MasterKeyset})
 * @param masterKey         a raw base64 32-byte master key ({@code NOTIFICATIONS_MASTER_KEY}), as configured before
 *                          the keyset: still read, as a key of the keyset
 * @param poll              how often the delivery worker looks for due notices
 * @param forwardWithin     how long the access body may take to forward a finding to a data holder
 * @param acknowledgeWithin how long the data holder may take to acknowledge it
 * @param deliverWithin     how long the delivery may take once acknowledged
 * @param retryFirst        the first wait after a failed delivery (doubling)
 * @param retryMax          the longest wait between attempts
 * @param attempts          attempts before a notice is a dead letter
 * @param claimFor          how long a node that claimed a notice has to send it before another may (a notice claimed
 *                          by a node that died waits this long); at least {@link SmtpMailer#STEPS} SMTP timeouts
 * @param smtpTimeout       the limit on connecting to the SMTP server and on each read and write, unless Spring Mail's
 *                          {@code mail.smtp.*timeout} properties set their own
 */
@ConfigurationProperties("notifications")
public record NotificationProperties(
        @DefaultValue("http://127.0.0.1:8080") String portalUrl,
        @DefaultValue("no-reply@rights-ledger.localhost") String from,
        String masterKeyset,
        String masterKey,
        @DefaultValue("500ms") Duration poll,
        @DefaultValue("2d") Duration forwardWithin,
        @DefaultValue("5d") Duration acknowledgeWithin,
        @DefaultValue("1d") Duration deliverWithin,
        @DefaultValue("1s") Duration retryFirst,
        @DefaultValue("5m") Duration retryMax,
        @DefaultValue("10") int attempts,
        @DefaultValue("5m") Duration claimFor,
        @DefaultValue("20s") Duration smtpTimeout) {
}
