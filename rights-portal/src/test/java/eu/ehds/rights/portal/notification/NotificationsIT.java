package eu.ehds.rights.portal.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import eu.ehds.rights.notifications.outbox.Outbox;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.DemoPeople;
import eu.ehds.rights.portal.support.EmbeddedLedger;
import eu.ehds.rights.portal.support.LoopbackPorts;
import eu.ehds.rights.portal.support.PortalSession;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Significant-finding notices end to end, with a real SMTP server (GreenMail) started by the test on loopback: every
 * hop recorded, the e-mail without health detail, the notice in the portal inbox, a late objection honoured, and
 * exactly one e-mail after the SMTP server was down or the sender was stopped mid-flight.
 */
@ActiveProfiles("local-idp") // citizens sign in through the demonstration provider
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationsIT {

    static final int SMTP_PORT = LoopbackPorts.free();
    static GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "notifications-it");
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
        registry.add("spring.mail.properties.mail.smtp.connectiontimeout", () -> "2000");
        registry.add("notifications.retry-first", () -> "200ms");
        registry.add("notifications.retry-max", () -> "400ms");
        registry.add("notifications.attempts", () -> "4");
        registry.add("notifications.poll", () -> "100ms");
        registry.add("portal.sign-ins-per-minute", () -> "10000");
    }

    @LocalServerPort
    int port;

    @Autowired
    DeliveryRunner runner;

    @Autowired
    Outbox outbox;

    Api api;
    String projectId;
    String projectKey;
    String holderKey;

    @BeforeAll
    void givenAProjectWithADataUserKeyAndAHolderKey() {
        // the test's SMTP server logs the addresses it receives mail for; it stands for a mail system outside the ledger
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.icegreen"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        smtp.start();
        api = new Api(port);
        projectId = api.postAsAdmin("/api/v1/projects", "{\"title\":\"Diabetes outcomes\",\"controller\":\"Inserm\","
                + "\"purposeCategory\":\"SCIENTIFIC_RESEARCH\",\"dataHolders\":[\"CNAM\"],\"datasets\":[\"DCIR\"],"
                + "\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2028-01-01\",\"idempotencyKey\":\"notif-prj-1\"}")
                .json().get("projectId").asString();
        projectKey = api.postAsAdmin("/api/v1/projects/" + projectId + "/api-keys", "{}").json().get("apiKey").asString();
        holderKey = api.postAsAdmin("/api/v1/data-holders/CNAM/api-keys", "{}").json().get("apiKey").asString();
    }

    @BeforeEach
    void smtpUpAndSenderRunning() throws Exception {
        if (!smtp.isRunning()) {
            smtp.start();
        }
        smtp.purgeEmailFromAllMailboxes();
        runner.start();
    }

    @AfterAll
    void stopSmtp() {
        smtp.stop();
    }

    /** Signs the person in, gives their e-mail address on the portal, and returns their session. */
    private PortalSession withEmail(String username, String email) {
        PortalSession s = new PortalSession(port);
        s.signInAsCitizen(username);
        s.get("/my/notifications");
        assertThat(s.post("/my/notifications/contact", Map.of("email", email)).status()).isEqualTo(302);
        return s;
    }

    private String report(String nir, String notice) {
        Api.Response r = api.postJsonWithApiKey("/api/v1/findings", "{\"person\":\"" + nir + "\",\"severity\":"
                + "\"IMPORTANT\",\"clinicalSummary\":\"HbA1c 11.2 %, HOMA-IR 4.1\",\"personNotice\":\"" + notice
                + "\",\"idempotencyKey\":\"report-" + UUID.randomUUID() + "\"}", projectKey);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("findingId").asString();
    }

    private void forward(String findingId) {
        Api.Response r = api.postAsAdmin("/api/v1/findings/" + findingId + "/forwarding",
                "{\"dataHolder\":\"CNAM\",\"idempotencyKey\":\"fwd-" + UUID.randomUUID() + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private void acknowledge(String findingId, String body) {
        Api.Response r = api.postJsonWithApiKey("/api/v1/findings/" + findingId + "/acknowledgement",
                body.replace("}", ",\"idempotencyKey\":\"ack-" + UUID.randomUUID() + "\"}"), holderKey);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private JsonNode finding(String findingId) {
        for (JsonNode f : api.get("/api/v1/findings", "admin", Api.ADMIN_PASSWORD).json()) {
            if (f.get("findingId").asString().equals(findingId)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + findingId);
    }

    private List<MimeMessage> mailTo(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(address));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void a_finding_reaches_the_person_by_inbox_and_an_email_without_health_detail_and_every_hop_is_recorded()
            throws Exception {
        PortalSession camille = withEmail("camille", "camille@example.org");
        String findingId = report(DemoPeople.CAMILLE_NIR, "Your blood sugar is high: please see your doctor.");
        forward(findingId);
        assertThat(api.getWithApiKey("/api/v1/findings/" + findingId + "/content", holderKey).body())
                .contains("HbA1c 11.2 %");
        acknowledge(findingId, "{\"recipient\":\"PERSON\"}");

        await("the e-mail", () -> mailTo("camille@example.org").size() == 1);
        String mail = GreenMailUtil.getBody(mailTo("camille@example.org").get(0));
        assertThat(mail).contains("/my/notifications").doesNotContain("HbA1c").doesNotContain("blood")
                .doesNotContain("Diabetes").doesNotContain(projectId);
        assertThat(camille.get("/my/notifications").body()).contains("Your blood sugar is high")
                .contains("Diabetes outcomes");
        await("both outcomes recorded", () -> finding(findingId).get("stage").asString().equals("SETTLED"));
        JsonNode outcomes = finding(findingId).get("outcomes");
        assertThat(outcomes.get("EMAIL").get("result").asString()).isEqualTo("DELIVERED");
        assertThat(outcomes.get("PORTAL_INBOX").get("result").asString()).isEqualTo("DELIVERED");
        String entries = api.get("/api/v1/log/entries?start=0&end=" + api.get("/api/v1/log/checkpoint").body()
                .split("\n")[1], "auditor", Api.AUDITOR_PASSWORD).body();
        assertThat(entries).contains("SignificantFindingReported", "SignificantFindingForwarded",
                "SignificantFindingAcknowledged", "SignificantFindingDelivered")
                .doesNotContain("HbA1c").doesNotContain("blood sugar").doesNotContain("camille@example.org");
    }

    @Test
    void an_objection_registered_after_the_report_but_before_delivery_wins() throws Exception {
        PortalSession jean = withEmail("jean", "jean@example.org");
        String findingId = report(DemoPeople.JEAN_NIR, "Your cholesterol is high.");
        forward(findingId);
        assertThat(api.postAsAdmin("/api/v1/notification-objections", "{\"person\":\"" + DemoPeople.JEAN_NIR
                + "\",\"channel\":\"PHONE\",\"idempotencyKey\":\"objection-" + UUID.randomUUID() + "\"}").status())
                .isEqualTo(201);
        acknowledge(findingId, "{\"recipient\":\"PERSON\"}");

        await("the suppression recorded", () -> finding(findingId).get("stage").asString().equals("SETTLED"));
        assertThat(finding(findingId).get("outcomes").get("EMAIL").get("result").asString()).isEqualTo("OBJECTION");
        assertThat(finding(findingId).get("outcomes").get("PORTAL_INBOX").get("result").asString()).isEqualTo("OBJECTION");
        assertThat(mailTo("jean@example.org")).isEmpty();
        assertThat(jean.get("/my/notifications").body()).doesNotContain("cholesterol");
    }

    @Test
    void with_the_smtp_server_down_the_notice_waits_then_goes_exactly_once() throws Exception {
        withEmail("nadia", "nadia@example.org");
        smtp.stop();
        String findingId = report(DemoPeople.NADIA_NIR, "A check-up is advised.");
        forward(findingId);
        acknowledge(findingId, "{\"recipient\":\"PERSON\"}");
        await("failed attempts", () -> outbox.forFinding(findingId).stream()
                .anyMatch(e -> e.channel().equals("EMAIL") && e.attempts() >= 1));

        smtp.start();

        await("the e-mail", () -> mailTo("nadia@example.org").size() == 1);
        Thread.sleep(1500); // several worker passes later, still one
        assertThat(mailTo("nadia@example.org")).hasSize(1);
        await("the delivery recorded", () -> finding(findingId).get("stage").asString().equals("SETTLED"));
    }

    @Test
    void a_sender_stopped_mid_flight_delivers_exactly_once_after_restart() throws Exception {
        withEmail("louis", "louis@example.org");
        smtp.stop(); // the sender is in the middle of failing attempts when it is stopped
        String findingId = report(DemoPeople.LOUIS_NIR, "Your vaccinations are due.");
        forward(findingId);
        acknowledge(findingId, "{\"recipient\":\"PERSON\"}");
        await("an attempt", () -> outbox.forFinding(findingId).stream().anyMatch(e -> e.attempts() >= 1));
        runner.stop();
        smtp.start();
        Thread.sleep(800);
        assertThat(mailTo("louis@example.org")).isEmpty(); // nothing goes while the sender is down

        runner.start();

        await("the e-mail", () -> mailTo("louis@example.org").size() == 1);
        Thread.sleep(1000);
        assertThat(mailTo("louis@example.org")).hasSize(1);
    }

    @Test
    void a_notice_that_fails_every_attempt_is_a_dead_letter_staff_can_send_again() throws Exception {
        String professional = "dr.roux@example.org";
        smtp.stop();
        String findingId = report(DemoPeople.CAMILLE_NIR, "Please call your doctor.");
        forward(findingId);
        acknowledge(findingId, "{\"recipient\":\"TREATING_PROFESSIONAL\",\"professionalName\":\"Dr Roux\","
                + "\"professionalEmail\":\"" + professional + "\"}");
        await("a dead letter", () -> api.get("/api/v1/notifications/dead-letters", "admin", Api.ADMIN_PASSWORD).body()
                .contains(findingId));

        smtp.start();
        assertThat(api.send("POST", "/api/v1/notifications/dead-letters/" + findingId + "/EMAIL/retry", "admin",
                Api.ADMIN_PASSWORD).status()).isEqualTo(204);

        await("the e-mail to the professional", () -> mailTo(professional).size() == 1);
        String mail = GreenMailUtil.getBody(mailTo(professional).get(0));
        assertThat(mail).contains(findingId).contains("CNAM").doesNotContain("HbA1c").doesNotContain("doctor");
        assertThat(finding(findingId).get("outcomes").has("PORTAL_INBOX")).isFalse(); // the professional is told
    }

    @Test
    void erased_content_is_gone_for_good_while_the_log_keeps_its_hash() throws Exception {
        String findingId = report(DemoPeople.JEAN_NIR, "Erasable notice.");
        forward(findingId);
        assertThat(api.send("POST", "/api/v1/findings/" + findingId + "/content/erasure", "admin",
                Api.ADMIN_PASSWORD).status()).isEqualTo(204);

        assertThat(api.getWithApiKey("/api/v1/findings/" + findingId + "/content", holderKey).status()).isEqualTo(404);
        assertThat(api.send("POST", "/api/v1/findings/" + findingId + "/content/erasure", "admin",
                Api.ADMIN_PASSWORD).status()).isEqualTo(404);
    }

    @Test
    void only_the_holder_a_finding_was_forwarded_to_sees_it_and_only_a_data_user_reports() {
        String findingId = report(DemoPeople.JEAN_NIR, "Private notice.");
        forward(findingId);
        String otherHolder = api.postAsAdmin("/api/v1/data-holders/AP-HP/api-keys", "{}").json().get("apiKey").asString();

        assertThat(api.getWithApiKey("/api/v1/findings/" + findingId + "/content", otherHolder).status()).isEqualTo(404);
        assertThat(api.postJsonWithApiKey("/api/v1/findings", "{}", holderKey).status()).isEqualTo(403);
        assertThat(api.getWithApiKey("/api/v1/findings", projectKey).status()).isEqualTo(403);
    }

}
