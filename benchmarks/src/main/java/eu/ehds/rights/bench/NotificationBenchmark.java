package eu.ehds.rights.bench;

import eu.ehds.rights.ledger.api.finding.Recipient;
import eu.ehds.rights.ledger.api.finding.Severity;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.ledger.api.project.RegisterProjectCommand;
import eu.ehds.rights.notifications.contact.Contacts;
import eu.ehds.rights.notifications.delivery.DeliveryWorker;
import eu.ehds.rights.notifications.outbox.Outbox;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import eu.ehds.rights.portal.notification.Findings;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code bench notifications --count=N}: N findings reported, forwarded and acknowledged through the ledger for N
 * persons with an e-mail address, then the time for the delivery worker to deliver them all: portal inbox, e-mail to
 * the SMTP server of {@code spring.mail.*} ({@code SPRING_MAIL_HOST}, {@code SPRING_MAIL_PORT}), each outcome recorded
 * in the ledger. It adds events to the database it runs on: point it at one of its own.
 */
final class NotificationBenchmark {

    private final ApplicationContext context;
    private final PrintWriter out;

    NotificationBenchmark(ApplicationContext context, PrintWriter out) {
        this.context = context;
        this.out = out;
    }

    int run(int count) throws InterruptedException {
        LedgerCommands commands = context.getBean(LedgerCommands.class);
        Findings findings = context.getBean(Findings.class);
        Contacts contacts = context.getBean(Contacts.class);
        DeliveryWorker worker = context.getBean(DeliveryWorker.class);
        Outbox outbox = context.getBean(Outbox.class);
        JdbcClient jdbc = JdbcClient.create(context.getBean(DataSource.class));
        Clock clock = context.getBean(Clock.class);
        if (context.getBeanProvider(org.springframework.mail.javamail.JavaMailSender.class).getIfAvailable() == null) {
            out.println("bench notifications needs an SMTP server: set SPRING_MAIL_HOST and SPRING_MAIL_PORT");
            return 2;
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        String projectId = "prj-bench-" + run;
        commands.submit("projects/register", List.of(projectId), "bench-project-" + run, () -> new RegisterProjectCommand(
                projectId, "Notification benchmark " + run, "bench", PurposeCategory.SCIENTIFIC_RESEARCH,
                List.of("BENCH"), List.of("D"), LocalDate.now(clock), LocalDate.now(clock).plusYears(1), "bench",
                clock.instant(), "bench-project-" + run));
        SecureRandom random = new SecureRandom();
        long preparing = System.nanoTime();
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String person = HexFormat.of().formatHex(bytes);
            contacts.setEmail(person, "person" + i + "@bench.localhost");
            String findingId = findings.report(projectId, new Findings.Report(person, Severity.IMPORTANT,
                    "bench summary " + i, "bench notice " + i, "bench-" + run + "-report-" + i)).aggregateId();
            findings.forward(findingId, "BENCH", "staff:bench", "bench-" + run + "-forward-" + i);
            findings.acknowledge(findingId, "BENCH", Recipient.PERSON, null, null, "bench-" + run + "-ack-" + i);
        }
        out.printf("prepared %,d acknowledged findings in %.1f s (report, forward, acknowledge through the ledger)%n",
                count, (System.nanoTime() - preparing) / 1e9);
        String pending = "SELECT COUNT(*) FROM notification_outbox o JOIN notification_finding f "
                + "ON f.finding_id = o.finding_id WHERE f.project_id = ?";
        while (jdbc.sql(pending).param(projectId).query(Long.class).single() < 2L * count) {
            Thread.sleep(50); // the delivery processor writes the notices as it follows the log
        }
        long started = System.nanoTime();
        String undone = "SELECT COUNT(*) FROM notification_outbox o JOIN notification_finding f "
                + "ON f.finding_id = o.finding_id WHERE f.project_id = ? AND (o.status = 'PENDING' OR o.recorded = FALSE)";
        while (jdbc.sql(undone).param(projectId).query(Long.class).single() > 0) {
            if (worker.runOnce() == 0) {
                Thread.sleep(5);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long emails = jdbc.sql("SELECT COUNT(*) FROM notification_outbox o JOIN notification_finding f ON f.finding_id = "
                + "o.finding_id WHERE f.project_id = ? AND o.channel = 'EMAIL' AND o.outcome = 'DELIVERED'")
                .param(projectId).query(Long.class).single();
        out.printf("delivered %,d notices (%,d e-mails to the SMTP server, %,d to the inbox, each outcome recorded in the "
                + "ledger) in %.2f s: %.0f findings/s, %.0f e-mails/s%n", count, emails, count, seconds, count / seconds,
                emails / seconds);
        outbox.dead().forEach(d -> out.println("dead letter: " + d));
        return emails == count ? 0 : 1;
    }
}
