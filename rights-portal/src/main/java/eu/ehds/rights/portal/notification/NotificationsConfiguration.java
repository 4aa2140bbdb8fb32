package eu.ehds.rights.portal.notification;

import eu.ehds.rights.ledger.api.finding.DeliveryChannel;
import eu.ehds.rights.ledger.api.finding.RecordFindingDeliveryCommand;
import eu.ehds.rights.ledger.retry.Backoff;
import eu.ehds.rights.notifications.contact.Contacts;
import eu.ehds.rights.notifications.delivery.DeliveryWorker;
import eu.ehds.rights.notifications.delivery.FindingDeliveryReaction;
import eu.ehds.rights.notifications.delivery.Outcome;
import eu.ehds.rights.notifications.delivery.Ports;
import eu.ehds.rights.notifications.inbox.Inbox;
import eu.ehds.rights.notifications.outbox.Outbox;
import eu.ehds.rights.notifications.vault.ContentVault;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import eu.ehds.rights.portal.ledger.LedgerProperties;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Wires the notifications module: the vault under the master key, the outbox, inbox and contacts on the ledger's
 * database, the delivery reaction on the connection of the processor's transaction, and the worker with its ports
 * (objection read from the person's own event stream, outcomes recorded through the ledger's commands, e-mail
 * through Spring Mail when an SMTP server is configured).
 */
@Configuration(proxyBeanMethods = false)
class NotificationsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationsConfiguration.class);

    @Bean
    ContentVault contentVault(DataSource dataSource, NotificationProperties properties, LedgerProperties ledger) {
        return new ContentVault(dataSource, MasterKeyset.load(properties, ledger.dataDir()));
    }

    @Bean
    Outbox outbox(DataSource dataSource) {
        return new Outbox(dataSource);
    }

    @Bean
    Inbox inbox(DataSource dataSource) {
        return new Inbox(dataSource);
    }

    @Bean
    Contacts contacts(ContentVault vault) {
        return new Contacts(vault);
    }

    @Bean
    DeliveryWorker deliveryWorker(DataSource dataSource, Outbox outbox, Inbox inbox, Contacts contacts,
                                  ContentVault vault, PersonObjections objections, LedgerCommands commands,
                                  ObjectProvider<JavaMailSender> mail, NotificationProperties properties, Clock clock) {
        JavaMailSender sender = mail.getIfAvailable();
        Ports.Mailer mailer = sender instanceof JavaMailSenderImpl impl ? new SmtpMailer(impl, properties.from(),
                properties.smtpTimeout(), properties.claimFor()) : null;
        if (mailer == null) {
            LOG.warn("no SMTP server configured (SPRING_MAIL_HOST): significant-finding notices reach the portal "
                    + "inbox only");
        }
        Ports.DeliveryRecorder recorder = (findingId, channel, reason) -> commands.submit("findings/delivery",
                List.of(findingId, channel, reason == null ? Outcome.DELIVERED.name() : reason.name()),
                "delivery:" + findingId + ":" + channel, () -> new RecordFindingDeliveryCommand(findingId,
                        DeliveryChannel.valueOf(channel), reason, "notifications", clock.instant(),
                        "delivery:" + findingId + ":" + channel));
        Backoff backoff = new Backoff(properties.retryFirst(), properties.retryMax(), properties.attempts());
        return new DeliveryWorker(dataSource, outbox, inbox, contacts, vault, objections::objects, recorder, mailer,
                backoff, clock, properties.portalUrl(), properties.claimFor());
    }

    /** Only a serving application delivers notices on its own: the commands (verify, bench) never do. */
    @Bean
    @ConditionalOnWebApplication
    DeliveryRunner deliveryRunner(DeliveryWorker worker, NotificationProperties properties) {
        return new DeliveryRunner(worker, properties.poll());
    }

    /** Reacts in the delivery processor's transaction, on its connection (so notices and token commit together). */
    @Bean
    FindingDeliveryReaction findingDeliveryReaction(DataSource dataSource, Outbox outbox, Clock clock,
                                                    ObjectProvider<DeliveryRunner> runner) {
        Ports.Transactional transactional = work -> {
            Connection connection = DataSourceUtils.getConnection(dataSource);
            try {
                work.run(connection);
            } finally {
                DataSourceUtils.releaseConnection(connection, dataSource);
            }
        };
        return new FindingDeliveryReaction(transactional, outbox, clock,
                () -> runner.ifAvailable(DeliveryRunner::wakeUp));
    }
}
