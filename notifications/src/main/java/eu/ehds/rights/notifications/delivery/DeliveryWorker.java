package eu.ehds.rights.notifications.delivery;

import eu.ehds.rights.ledger.api.finding.DeliveryChannel;
import eu.ehds.rights.ledger.api.finding.Recipient;
import eu.ehds.rights.ledger.retry.Backoff;
import eu.ehds.rights.notifications.contact.Contacts;
import eu.ehds.rights.notifications.inbox.Inbox;
import eu.ehds.rights.notifications.outbox.Outbox;
import eu.ehds.rights.notifications.vault.ContentVault;
import eu.ehds.rights.notifications.vault.FindingContent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the notices the outbox holds. For each due notice, at the moment of sending: if the person objects to being
 * informed, the notice is suppressed (reason {@code OBJECTION}) and nobody is contacted; otherwise it goes to the
 * portal inbox, or by e-mail (no health detail, only an invitation to sign in). The outcome is then recorded in the
 * ledger. A failure is retried with backoff, and after the last attempt left as a dead letter for staff.
 *
 * <p>Exactly once: the inbox is written idempotently and the ledger record carries an idempotency key per finding and
 * channel. A notice sent but not yet marked done (the outbox could not be written) is marked on a later pass without
 * being sent again. The claim is renewed just before an e-mail leaves, so a node paused past its claim does not send
 * what another node took over, and only the node holding the claim counts a failure. E-mail keeps unavoidable
 * windows: the SMTP server accepted the message and the process died, or lost the answer, before marking it done, or
 * the send outlasted the claim; the message then goes again with the same {@code Message-ID}, by which mail clients
 * can tell it is the same message.
 *
 * <pre>{@code
 * int handled = worker.runOnce();   // called in a loop by the application
 * }</pre>
 */
public final class DeliveryWorker {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final int BATCH = 100;

    private final DataSource dataSource;
    private final Outbox outbox;
    private final Inbox inbox;
    private final Contacts contacts;
    private final ContentVault vault;
    private final Ports.ObjectionCheck objections;
    private final Ports.DeliveryRecorder recorder;
    private final Ports.Mailer mailer;
    private final Backoff backoff;
    private final Clock clock;
    private final String portalUrl;
    /** This node among those sharing the outbox. */
    private final String workerId = "worker-" + UUID.randomUUID();
    /**
     * How long a claimed notice is this node's by default: far longer than one send (the mailer bounds each SMTP step
     * and refuses a claim shorter than eight of them), so that only a node that died lets another send it.
     */
    static final Duration CLAIM = Duration.ofMinutes(5);
    private final Duration claim;
    /** Notices this node sent (or settled) but could not yet mark done in the outbox, with their outcome. */
    private final Map<String, Outcome> notMarked = new ConcurrentHashMap<>();

    /** @param mailer the SMTP sender, or {@code null} when this installation has no e-mail service */
    public DeliveryWorker(DataSource dataSource, Outbox outbox, Inbox inbox, Contacts contacts, ContentVault vault,
                          Ports.ObjectionCheck objections, Ports.DeliveryRecorder recorder, Ports.Mailer mailer,
                          Backoff backoff, Clock clock, String portalUrl) {
        this(dataSource, outbox, inbox, contacts, vault, objections, recorder, mailer, backoff, clock, portalUrl, CLAIM);
    }

    /** @param claim how long a claimed notice is this node's (see {@link #CLAIM}) */
    public DeliveryWorker(DataSource dataSource, Outbox outbox, Inbox inbox, Contacts contacts, ContentVault vault,
                          Ports.ObjectionCheck objections, Ports.DeliveryRecorder recorder, Ports.Mailer mailer,
                          Backoff backoff, Clock clock, String portalUrl, Duration claim) {
        this.claim = claim;
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.inbox = inbox;
        this.contacts = contacts;
        this.vault = vault;
        this.objections = objections;
        this.recorder = recorder;
        this.mailer = mailer;
        this.backoff = backoff;
        this.clock = clock;
        this.portalUrl = portalUrl;
    }

    /** Handles the notices due now (at most a batch); returns how many it handled. */
    public int runOnce() {
        List<Outbox.Entry> due = outbox.due(clock.instant(), BATCH);
        for (Outbox.Entry entry : due) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            handle(entry);
        }
        return due.size();
    }

    private void handle(Outbox.Entry entry) {
        if (entry.status() == Outbox.Status.PENDING) {
            if (!claim(entry)) {
                return; // another node sends it
            }
            String key = entry.findingId() + " " + entry.channel();
            Outcome outcome = notMarked.get(key);
            if (outcome == null) {
                try {
                    outcome = send(entry);
                } catch (ClaimLost e) {
                    LOG.info("notice {} {}: taken over by another node", entry.findingId(), entry.channel());
                    return;
                } catch (Exception e) {
                    int failures = entry.attempts() + 1;
                    boolean dead = backoff.exhausted(failures);
                    String error = withoutAddresses(e.getClass().getSimpleName() + ": " + e.getMessage());
                    outbox.failed(entry.findingId(), entry.channel(), workerId, error,
                            clock.instant().plus(backoff.after(failures)), dead);
                    LOG.warn("notice {} {} failed (attempt {}{}): {}", entry.findingId(), entry.channel(), failures,
                            dead ? ", now a dead letter" : "", error);
                    return;
                }
                LOG.info("notice {} {}: {}", entry.findingId(), entry.channel(), outcome);
                // gone: if marking it done fails, the next pass marks it without sending again
                notMarked.put(key, outcome);
            }
            outbox.done(entry.findingId(), entry.channel(), outcome.name());
            notMarked.remove(key);
            entry = new Outbox.Entry(entry.findingId(), entry.channel(), entry.recipient(), entry.person(),
                    Outbox.Status.DONE, outcome.name(), entry.attempts(), entry.nextAttemptAt(), null, false,
                    entry.createdAt());
        }
        try {
            recorder.record(entry.findingId(), entry.channel(), Outcome.valueOf(entry.outcome()).suppression());
            outbox.recorded(entry.findingId(), entry.channel());
        } catch (RuntimeException e) {
            LOG.warn("notice {} {}: outcome not yet recorded in the ledger ({}), will retry", entry.findingId(),
                    entry.channel(), e.getMessage());
        }
    }

    /** Delivers one notice, or says why not; throws when it should be tried again. */
    private Outcome send(Outbox.Entry entry) throws Exception {
        if (objections.objects(entry.person())) { // checked now, at delivery: a late objection still wins
            return Outcome.OBJECTION;
        }
        Facts facts = facts(entry.findingId());
        if (entry.channel().equals(DeliveryChannel.PORTAL_INBOX.name())) {
            inbox.deliver(entry.findingId(), entry.person(), facts.projectId(), facts.severity(), clock.instant());
            return Outcome.DELIVERED;
        }
        if (mailer == null) {
            return Outcome.NO_CHANNEL;
        }
        boolean professional = entry.recipient().equals(Recipient.TREATING_PROFESSIONAL.name());
        Optional<String> address;
        if (professional) {
            Optional<FindingContent> content = FindingContent.load(vault, entry.findingId());
            if (content.isPresent() && content.get().professionalEmail() == null) {
                // the holder's acknowledgement is in the ledger; its professional's address follows it into the vault
                throw new IllegalStateException("the treating professional's address is not stored yet");
            }
            address = content.map(FindingContent::professionalEmail);
        } else {
            address = contacts.email(entry.person());
        }
        if (address.isEmpty() || address.get().isBlank()) {
            return Outcome.NO_CONTACT;
        }
        // the claim renewed just before the message leaves: time spent above (a pause, a slow database) cannot have
        // let another node take the notice unseen
        if (!claim(entry)) {
            throw new ClaimLost();
        }
        mailer.send(professional ? NoticeEmails.toProfessional(address.get(), entry.findingId(), facts.dataHolder())
                : NoticeEmails.toPerson(address.get(), entry.findingId(), portalUrl));
        return Outcome.DELIVERED;
    }

    /** Claims the notice for this node from now, or renews its claim; false if another node holds it. */
    private boolean claim(Outbox.Entry entry) {
        Instant now = clock.instant();
        return outbox.claim(entry.findingId(), entry.channel(), workerId, now, now.plus(claim));
    }

    /** SMTP servers quote the recipient in their errors: the log and the dead letters must not hold addresses. */
    static String withoutAddresses(String error) {
        return error.replaceAll("[^\\s<>\"'@]+@[^\\s<>\"']+", "<address>");
    }

    /** This node's claim ran out and another node holds the notice now: it sends it. */
    private static final class ClaimLost extends Exception {
        ClaimLost() {
            super(null, null, false, false);
        }
    }

    private record Facts(String projectId, String severity, String dataHolder) {
    }

    private Facts facts(String findingId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT project_id, severity, data_holder FROM notification_finding WHERE finding_id = ?")) {
            q.setString(1, findingId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no facts for finding " + findingId);
                }
                return new Facts(rs.getString(1), rs.getString(2), rs.getString(3));
            }
        }
    }

}
