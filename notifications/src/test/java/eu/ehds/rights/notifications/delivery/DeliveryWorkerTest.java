package eu.ehds.rights.notifications.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.ehds.rights.ledger.retry.Backoff;
import eu.ehds.rights.notifications.TestDatabase;
import eu.ehds.rights.notifications.contact.Contacts;
import eu.ehds.rights.notifications.inbox.Inbox;
import eu.ehds.rights.notifications.outbox.Outbox;
import eu.ehds.rights.notifications.vault.ContentVault;
import eu.ehds.rights.notifications.vault.FindingContent;
import eu.ehds.rights.notifications.vault.VaultKeys;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DeliveryWorkerTest {

    private static final String PERSON = "d".repeat(32);
    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

    private DataSource db;
    private Outbox outbox;
    private Inbox inbox;
    private Contacts contacts;
    private ContentVault vault;
    private final Set<String> objecting = new HashSet<>();
    private final List<String> recorded = new ArrayList<>();
    private final List<Ports.Email> sent = new ArrayList<>();
    private int mailFailuresToCome;
    private boolean ledgerDown;
    private boolean outboxRefusesDone;
    private Instant now = T0;
    private DeliveryWorker worker;
    private Clock clock;

    @BeforeEach
    void givenAnAcknowledgedFindingForThePerson() throws Exception {
        db = TestDatabase.fresh();
        outbox = new Outbox(refusingDoneWhileAsked(db));
        inbox = new Inbox(db);
        vault = new ContentVault(db, VaultKeys.generate());
        contacts = new Contacts(vault);
        contacts.setEmail(PERSON, "camille@example.org");
        Ports.Mailer mailer = email -> {
            if (mailFailuresToCome > 0) {
                mailFailuresToCome--;
                throw new java.io.IOException("connection refused");
            }
            sent.add(email);
        };
        Ports.DeliveryRecorder recorder = (finding, channel, reason) -> {
            if (ledgerDown) {
                throw new IllegalStateException("ledger unavailable");
            }
            recorded.add(finding + " " + channel + " " + (reason == null ? "DELIVERED" : reason));
        };
        clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        worker = new DeliveryWorker(db, outbox, inbox, contacts, vault, objecting::contains, recorder, mailer,
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 3), clock, "http://127.0.0.1:8080");
        acknowledged("f-1", "PERSON");
    }

    /** The database as the outbox sees it: while asked, marking a notice done fails, as on a lost connection. */
    private DataSource refusingDoneWhileAsked(DataSource real) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (!(result instanceof Connection connection)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                if (outboxRefusesDone && m.getName().equals("prepareStatement")
                                        && ((String) a[0]).contains("SET status = 'DONE'")) {
                                    throw new SQLException("connection lost");
                                }
                                return invoke(connection, m, a);
                            });
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Leaves the e-mail notice only, so that a test's interference acts on it. */
    private void emailOnly() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement d = c.prepareStatement(
                "DELETE FROM notification_outbox WHERE channel = 'PORTAL_INBOX'")) {
            d.executeUpdate();
        }
    }

    private void acknowledged(String finding, String recipient) throws Exception {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO notification_finding (finding_id, project_id, "
                    + "person, severity, data_holder) VALUES (?, 'prj-1', ?, 'IMPORTANT', 'CNAM')")) {
                p.setString(1, finding);
                p.setString(2, PERSON);
                p.executeUpdate();
            }
            if (recipient.equals("PERSON")) {
                outbox.enqueue(c, finding, "PORTAL_INBOX", recipient, PERSON, now);
            }
            outbox.enqueue(c, finding, "EMAIL", recipient, PERSON, now);
        }
    }

    @Nested
    class Delivering {
        @Test
        void the_notice_reaches_the_inbox_and_an_email_without_health_detail_and_both_are_recorded() {
            worker.runOnce();

            assertThat(inbox.of(PERSON)).extracting(Inbox.Message::findingId).containsExactly("f-1");
            assertThat(sent).singleElement().satisfies(e -> {
                assertThat(e.to()).isEqualTo("camille@example.org");
                assertThat(e.text()).contains("http://127.0.0.1:8080/my/notifications").doesNotContain("prj-1")
                        .doesNotContain("IMPORTANT");
            });
            assertThat(recorded).containsExactlyInAnyOrder("f-1 PORTAL_INBOX DELIVERED", "f-1 EMAIL DELIVERED");
            assertThat(worker.runOnce()).isZero(); // nothing left to do: nothing sent twice
            assertThat(sent).hasSize(1);
        }

        @Test
        void an_objection_registered_after_the_report_but_before_delivery_wins_and_nobody_is_contacted() {
            objecting.add(PERSON);

            worker.runOnce();

            assertThat(inbox.of(PERSON)).isEmpty();
            assertThat(sent).isEmpty();
            assertThat(recorded).containsExactlyInAnyOrder("f-1 PORTAL_INBOX OBJECTION", "f-1 EMAIL OBJECTION");
        }

        @Test
        void without_an_address_the_email_is_suppressed_and_the_inbox_still_gets_the_notice() {
            contacts.erase(PERSON);

            worker.runOnce();

            assertThat(inbox.of(PERSON)).hasSize(1);
            assertThat(recorded).containsExactlyInAnyOrder("f-1 PORTAL_INBOX DELIVERED", "f-1 EMAIL NO_CONTACT");
        }

        @Test
        void a_treating_professional_gets_an_email_naming_the_data_holder_and_no_health_detail() throws Exception {
            FindingContent.of("LDL 5.9 mmol/l", "Your cholesterol is high").withProfessional("Dr Roux", "roux@example.org")
                    .store(vault, "f-2");
            acknowledged("f-2", "TREATING_PROFESSIONAL");

            worker.runOnce();

            assertThat(sent).filteredOn(e -> e.to().equals("roux@example.org")).singleElement()
                    .satisfies(e -> assertThat(e.text()).contains("CNAM").contains("f-2").doesNotContain("LDL")
                            .doesNotContain("cholesterol"));
            assertThat(inbox.of(PERSON)).extracting(Inbox.Message::findingId).containsExactly("f-1");
        }
    }

    @Nested
    class Failures {
        @Test
        void an_smtp_failure_is_retried_with_backoff_and_sent_once_when_the_server_is_back() {
            mailFailuresToCome = 2;

            worker.runOnce();
            assertThat(sent).isEmpty();
            worker.runOnce(); // not due yet: the first wait is 1 s
            assertThat(outbox.forFinding("f-1")).filteredOn(e -> e.channel().equals("EMAIL"))
                    .singleElement().satisfies(e -> assertThat(e.attempts()).isEqualTo(1));
            now = now.plusSeconds(1);
            worker.runOnce();
            now = now.plusSeconds(2);
            worker.runOnce();

            assertThat(sent).hasSize(1);
            assertThat(recorded).filteredOn(r -> r.contains("EMAIL")).containsExactly("f-1 EMAIL DELIVERED");
        }

        @Test
        void after_the_last_attempt_the_notice_is_a_dead_letter_and_staff_can_send_it_again() {
            mailFailuresToCome = 100;
            for (int i = 0; i < 5; i++) {
                worker.runOnce();
                now = now.plusSeconds(10);
            }
            assertThat(outbox.dead()).singleElement().satisfies(e -> {
                assertThat(e.channel()).isEqualTo("EMAIL");
                assertThat(e.attempts()).isEqualTo(3);
                assertThat(e.lastError()).contains("connection refused");
            });

            mailFailuresToCome = 0;
            assertThat(outbox.retry("f-1", "EMAIL", now)).isTrue();
            worker.runOnce();

            assertThat(outbox.dead()).isEmpty();
            assertThat(sent).hasSize(1);
        }

        @Test
        void an_outcome_the_ledger_could_not_record_is_recorded_later_without_sending_again() {
            ledgerDown = true;
            worker.runOnce();
            assertThat(sent).hasSize(1);
            assertThat(recorded).isEmpty();

            ledgerDown = false;
            worker.runOnce();

            assertThat(sent).hasSize(1);
            assertThat(recorded).containsExactlyInAnyOrder("f-1 PORTAL_INBOX DELIVERED", "f-1 EMAIL DELIVERED");
        }

        @Test
        void an_email_sent_but_not_marked_done_is_marked_on_a_later_pass_without_sending_again() throws Exception {
            // given an e-mail notice only, and an outbox that cannot be written just after the e-mail went out
            emailOnly();
            outboxRefusesDone = true;
            assertThatThrownBy(() -> worker.runOnce()).hasMessageContaining("outbox");
            assertThat(sent).hasSize(1);

            // when the outbox is back and the worker runs again
            outboxRefusesDone = false;
            worker.runOnce();
            worker.runOnce();

            // then the e-mail is not sent again, and it is done and recorded
            assertThat(sent).hasSize(1);
            assertThat(outbox.due(now.plusSeconds(3600), 10)).isEmpty();
            assertThat(recorded).containsExactly("f-1 EMAIL DELIVERED");
        }

        @Test
        void smtp_errors_are_kept_without_the_recipients_address() {
            assertThat(DeliveryWorker.withoutAddresses("SMTPAddressFailedException: 550 5.1.1 <camille@example.org>: "
                    + "Recipient address rejected; also jean.dupont@mail.example.fr"))
                    .isEqualTo("SMTPAddressFailedException: 550 5.1.1 <<address>>: Recipient address rejected; also "
                            + "<address>").doesNotContain("@");
        }

        @Test
        void the_same_notice_enqueued_twice_is_sent_once() throws Exception {
            try (Connection c = db.getConnection()) {
                assertThat(outbox.enqueue(c, "f-1", "EMAIL", "PERSON", PERSON, now)).isFalse();
            }
            worker.runOnce();
            assertThat(sent).hasSize(1);
        }
    }

    /** Several nodes share one outbox (issue: two nodes sent 29 of 30 e-mails twice). */
    @Nested
    class OnSeveralNodes {

        @Test
        void a_notice_another_node_has_claimed_is_not_sent_and_is_taken_over_when_that_node_dies() {
            // given another node holds the e-mail (it claimed it, then died before sending)
            assertThat(outbox.claim("f-1", "EMAIL", "node-b", now, now.plus(DeliveryWorker.CLAIM))).isTrue();

            // when this node runs, it delivers the inbox notice only
            worker.runOnce();
            assertThat(sent).isEmpty();
            assertThat(recorded).containsExactly("f-1 PORTAL_INBOX DELIVERED");

            // then once the claim has expired, this node sends the e-mail, once
            now = now.plus(DeliveryWorker.CLAIM).plusSeconds(1);
            worker.runOnce();
            worker.runOnce();
            assertThat(sent).hasSize(1);
        }

        @Test
        void a_node_paused_past_its_claim_does_not_send_what_another_node_took_over_meanwhile() throws Exception {
            // given this node is paused after claiming the e-mail, past its claim, and another node takes it over
            emailOnly();
            DeliveryWorker paused = worker(person -> {
                now = now.plus(DeliveryWorker.CLAIM).plusSeconds(1);
                outbox.claim("f-1", "EMAIL", "node-b", now, now.plus(DeliveryWorker.CLAIM));
                return false;
            }, sent::add);

            // when this node goes on
            paused.runOnce();

            // then it sends nothing, and leaves the notice to the node that holds it
            assertThat(sent).isEmpty();
            assertThat(outbox.claim("f-1", "EMAIL", "node-c", now, now.plusSeconds(1))).isFalse();
            assertThat(outbox.forFinding("f-1")).filteredOn(e -> e.channel().equals("EMAIL")).singleElement()
                    .satisfies(e -> assertThat(e.attempts()).isZero());
        }

        @Test
        void a_failure_after_the_claim_ran_out_does_not_release_the_node_that_took_the_notice_over()
                throws Exception {
            // given this node's send fails after its claim ran out and another node took the notice over
            emailOnly();
            DeliveryWorker late = worker(person -> false, email -> {
                now = now.plus(DeliveryWorker.CLAIM).plusSeconds(1);
                outbox.claim("f-1", "EMAIL", "node-b", now, now.plus(DeliveryWorker.CLAIM));
                throw new java.io.IOException("read timed out");
            });

            // when this node records its failure
            late.runOnce();

            // then the other node still holds the notice, and no failed attempt is counted against it
            assertThat(outbox.claim("f-1", "EMAIL", "node-c", now, now.plusSeconds(1))).isFalse();
            assertThat(outbox.forFinding("f-1")).filteredOn(e -> e.channel().equals("EMAIL")).singleElement()
                    .satisfies(e -> assertThat(e.attempts()).isZero());
        }

        private DeliveryWorker worker(Ports.ObjectionCheck objections, Ports.Mailer mailer) {
            return new DeliveryWorker(db, outbox, inbox, contacts, vault, objections, (finding, channel, reason) -> { },
                    mailer, Backoff.DEFAULT, clock, "http://127.0.0.1:8080");
        }

        @Test
        void two_nodes_running_at_the_same_time_send_each_notice_once() throws Exception {
            for (int i = 2; i <= 40; i++) {
                acknowledged("f-" + i, "PERSON");
            }
            List<Ports.Email> shared = java.util.Collections.synchronizedList(new ArrayList<>());
            Ports.Mailer slow = email -> {
                Thread.sleep(2); // an SMTP round trip, long enough for the nodes to overlap
                shared.add(email);
            };
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Thread> nodes = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                DeliveryWorker node = new DeliveryWorker(db, outbox, inbox, contacts, vault, objecting::contains,
                        (finding, channel, reason) -> { }, slow, Backoff.DEFAULT, Clock.fixed(now, ZoneOffset.UTC),
                        "http://127.0.0.1:8080");
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        while (node.runOnce() > 0) {
                            Thread.onSpinWait();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                nodes.add(t);
            }
            start.countDown();
            for (Thread t : nodes) {
                t.join(30_000);
            }
            assertThat(shared).hasSize(40);
            assertThat(shared.stream().map(Ports.Email::messageId).distinct()).hasSize(40);
            assertThat(outbox.due(now, 1000)).isEmpty();
        }
    }
}
