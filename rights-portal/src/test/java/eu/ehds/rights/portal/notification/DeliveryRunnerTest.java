package eu.ehds.rights.portal.notification;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.retry.Backoff;
import eu.ehds.rights.notifications.contact.Contacts;
import eu.ehds.rights.notifications.delivery.DeliveryWorker;
import eu.ehds.rights.notifications.delivery.Ports;
import eu.ehds.rights.notifications.inbox.Inbox;
import eu.ehds.rights.notifications.outbox.Outbox;
import eu.ehds.rights.notifications.vault.ContentVault;
import eu.ehds.rights.notifications.vault.VaultKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class DeliveryRunnerTest {

    private static final String PERSON = "d".repeat(32);

    private final AtomicInteger sends = new AtomicInteger();
    private final CountDownLatch sending = new CountDownLatch(1);
    private final CountDownLatch serverAnswers = new CountDownLatch(1);

    @Test
    void a_start_after_a_stop_that_left_a_send_in_progress_waits_for_it_and_the_notice_goes_once() throws Exception {
        // given a runner whose worker is in the middle of a send the stop cannot interrupt (SMTP socket I/O)
        DataSource db = database();
        Outbox outbox = new Outbox(db);
        ContentVault vault = new ContentVault(db, VaultKeys.generate());
        Contacts contacts = new Contacts(vault);
        contacts.setEmail(PERSON, "camille@example.org");
        try (Connection c = db.getConnection(); PreparedStatement p = c.prepareStatement("INSERT INTO "
                + "notification_finding (finding_id, project_id, person, severity, data_holder) "
                + "VALUES ('f-1', 'prj-1', ?, 'IMPORTANT', 'CNAM')")) {
            p.setString(1, PERSON);
            p.executeUpdate();
            outbox.enqueue(c, "f-1", "EMAIL", "PERSON", PERSON, Clock.systemUTC().instant());
        }
        Ports.Mailer slowServer = email -> {
            sends.incrementAndGet();
            sending.countDown();
            boolean interrupted = false;
            while (true) {
                try {
                    serverAnswers.await();
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // socket I/O does not end on an interrupt
                }
            }
        };
        DeliveryWorker worker = new DeliveryWorker(db, outbox, new Inbox(db), contacts, vault, person -> false,
                (finding, channel, reason) -> { }, slowServer, Backoff.DEFAULT, Clock.systemUTC(),
                "http://127.0.0.1:8080");
        DeliveryRunner runner = new DeliveryRunner(worker, Duration.ofMillis(50), Duration.ofMillis(200));
        runner.start();
        assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();
        runner.stop();

        // when it is started again while that send goes on
        Thread restart = new Thread(runner::start);
        restart.start();
        Thread.sleep(500); // several polls: a second thread would have claimed the notice again and sent it

        // then nothing more is sent, and once the first send ends the runner runs again and the notice is done, once
        assertThat(sends).hasValue(1);
        serverAnswers.countDown();
        restart.join(10_000);
        assertThat(restart.isAlive()).isFalse();
        assertThat(runner.isRunning()).isTrue();
        for (int i = 0; i < 100 && !outbox.due(Clock.systemUTC().instant().plusSeconds(3600), 1).isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertThat(outbox.forFinding("f-1")).singleElement().satisfies(e ->
                assertThat(e.status()).isEqualTo(Outbox.Status.DONE));
        assertThat(sends).hasValue(1);
        runner.stop();
    }

    private static DataSource database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", "classpath:db/migration/h2")
                .load().migrate();
        return ds;
    }
}
