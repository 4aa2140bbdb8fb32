package eu.ehds.rights.portal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.DemoPeople;
import eu.ehds.rights.portal.support.FabricNetwork;
import eu.ehds.rights.portal.support.LedgerProcess;
import eu.ehds.rights.portal.support.LoadBalancer;
import eu.ehds.rights.portal.support.LoopbackPorts;
import eu.ehds.rights.portal.support.Nirs;
import eu.ehds.rights.portal.support.Pause;
import eu.ehds.rights.portal.support.PortalSession;
import eu.ehds.rights.portal.support.PostgresHarness;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Three nodes of the jar on one PostgreSQL behind HAProxy (health-checked on readiness), anchoring on the real Fabric
 * network, sending e-mail to a real SMTP server (GreenMail), driven only through the load balancer as users would:
 * staff writes and findings spread over the nodes while one node is killed with SIGKILL, another frozen with SIGSTOP,
 * and the first restarted. Then: every acknowledged write is recorded once, each notice was e-mailed (once, but for the
 * one the killed node may have had in flight), every node
 * serves the same checkpoint and anchoring status (one leader), the log verifies, a session begun on one node is
 * valid on all, a filtered extract made on one node downloads from all, a revoked key is refused by every node within a second, and the sign-in limit is the service's.
 */
class SeveralNodesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int NODES = 3;
    private static final int FINDINGS = 8;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<LedgerProcess> nodes = new ArrayList<>();

    @Test
    void three_nodes_behind_haproxy_lose_nothing_send_each_notice_once_and_agree_on_one_verifiable_log()
            throws Exception {
        Path dir = Path.of("target/several-nodes");
        Path shared = Files.createTempDirectory("several-nodes-shared-");
        PostgresHarness.Database db = PostgresHarness.newDatabase();
        int smtpPort = LoopbackPorts.free();
        // the test's SMTP server logs the addresses it receives mail for; it stands for a mail system outside the ledger
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.icegreen"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        // what every node must share, supplied as an operator would (see the README's "Running several nodes")
        Map<String, String> settings = Map.ofEntries(
                Map.entry("LEDGER_SIGNING_KEY", randomKey()),
                Map.entry("NOTIFICATIONS_MASTER_KEY", randomKey()),
                Map.entry("LEDGER_LOG_ORIGIN", "several-nodes-" + UUID.randomUUID() + ".test/log"),
                Map.entry("LEDGER_SHARED_DIR", shared.toString()),
                Map.entry("LEDGER_ANCHORING_FABRIC_CONNECTION", FabricNetwork.up().toString()),
                Map.entry("LEDGER_ANCHORING_INTERVAL", "1s"),
                Map.entry("SPRING_MAIL_HOST", "127.0.0.1"),
                Map.entry("SPRING_MAIL_PORT", Integer.toString(smtpPort)),
                // a notice claimed by the node killed below waits this long before another node sends it (5 min
                // by default; at least 8 SMTP timeouts)
                Map.entry("NOTIFICATIONS_CLAIM_FOR", "40s"),
                Map.entry("NOTIFICATIONS_SMTP_TIMEOUT", "5s"));
        String pseudonymKey = randomKey();
        String clientSecret = UUID.randomUUID().toString();
        LedgerProcess idp = null;
        try {
            for (int i = 1; i <= NODES; i++) {
                nodes.add(new LedgerProcess(db, Files.createTempDirectory("several-nodes-" + i + "-"), pseudonymKey,
                        dir.resolve("node" + i), new java.util.HashMap<>(settings)));
            }
            try (LoadBalancer lb = new LoadBalancer(nodes.stream().map(LedgerProcess::port).toList(), dir)) {
                // citizens sign in at an identity provider outside the nodes, as with FranceConnect: here the demo
                // provider of one more process, which knows the load balancer's address as its client's
                idp = LedgerProcess.embedded(Files.createTempDirectory("several-nodes-idp-"), randomKey(),
                        dir.resolve("idp"), Map.of("SPRING_PROFILES_ACTIVE", "local-idp",
                                "PORTAL_DEMO_CLIENT_SECRET", clientSecret, "PORTAL_DEMO_CLIENT_REDIRECT_URIS",
                                "http://127.0.0.1:" + lb.port() + "/login/oauth2/code/citizen"));
                idp.start();
                // by another host name than the nodes': cookies do not tell ports apart, and the provider's session
                // cookie would replace the portal's
                String provider = "http://localhost:" + idp.port();
                for (int i = 1; i <= NODES; i++) {
                    LedgerProcess node = nodes.get(i - 1);
                    node.set("LEDGER_NODE_NAME", "node" + i);
                    node.set("PORTAL_OIDC_CLIENT_ID", "rights-portal");
                    node.set("PORTAL_OIDC_CLIENT_SECRET", clientSecret);
                    node.set("PORTAL_OIDC_ISSUER", provider);
                    node.set("PORTAL_OIDC_AUTHORIZATION_URI", provider + "/idp/oauth2/authorize");
                    node.set("PORTAL_OIDC_TOKEN_URI", provider + "/idp/oauth2/token");
                    node.set("PORTAL_OIDC_JWK_SET_URI", provider + "/idp/oauth2/jwks");
                    node.start(); // one after the other: the first creates the schema
                    lb.awaitState("node" + i, "UP", Duration.ofSeconds(20));
                }
                run(lb, smtp);
            }
        } finally {
            nodes.forEach(LedgerProcess::close);
            if (idp != null) {
                idp.close();
            }
            smtp.stop();
        }
    }

    private void run(LoadBalancer lb, GreenMail smtp) throws Exception {
        Api api = new Api(lb.port());
        // given a project with a permit, a data user's key and a data holder's key, made through the load balancer
        String projectId = api.postAsAdmin("/api/v1/projects", "{\"title\":\"Cohorte multi-noeuds\",\"controller\":"
                + "\"Inserm\",\"purposeCategory\":\"SCIENTIFIC_RESEARCH\",\"dataHolders\":[\"CNAM\"],\"datasets\":"
                + "[\"DCIR\"],\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2028-01-01\",\"idempotencyKey\":"
                + "\"nodes-prj-1\"}").json().get("projectId").asString();
        assertThat(api.postAsAdmin("/api/v1/projects/" + projectId + "/permit", "{\"permitId\":\"HDH-N-1\","
                + "\"idempotencyKey\":\"nodes-permit-1\"}").status()).isEqualTo(201);
        String projectKey = api.postAsAdmin("/api/v1/projects/" + projectId + "/api-keys", "{}").json().get("apiKey")
                .asString();
        String holderKey = api.postAsAdmin("/api/v1/data-holders/CNAM/api-keys", "{}").json().get("apiKey").asString();

        // and a citizen signed in through the load balancer, who leaves an e-mail address for notices
        PortalSession camille = new PortalSession(lb.port());
        assertThat(camille.signInAsCitizen("camille").status()).isEqualTo(200);
        camille.get("/my/notifications");
        assertThat(camille.post("/my/notifications/contact", Map.of("email", "camille@example.org")).status())
                .isEqualTo(302);

        // when staff write and findings are reported, forwarded and acknowledged through the load balancer
        // while one node is killed, another frozen, and the first restarted
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        Map<String, String> bodies = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(3);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            running.add(clients.submit(() -> {
                while (writing.get()) {
                    String key = "nodes-optout-" + UUID.randomUUID();
                    String body = "{\"person\":\"" + Nirs.anyNir() + "\",\"scope\":{\"type\":\"GLOBAL\"},"
                            + "\"channel\":\"POST\",\"idempotencyKey\":\"" + key + "\"}";
                    bodies.put(key, body);
                    acknowledged.put(key, untilAnswered(lb.port(), "/api/v1/opt-outs", body, adminAuth())
                            .get("leafIndex").asLong());
                    Thread.sleep(20); // a steady load, leaving the two cores room for a node to start
                }
                return null;
            }));
        }
        List<String> findings = new ArrayList<>();
        running.add(clients.submit(() -> {
            for (int f = 0; f < FINDINGS; f++) {
                String findingId = untilAnswered(lb.port(), "/api/v1/findings", "{\"person\":\""
                        + DemoPeople.CAMILLE_NIR + "\",\"severity\":\"IMPORTANT\",\"clinicalSummary\":\"HbA1c 11 %\","
                        + "\"personNotice\":\"Veuillez consulter votre médecin.\",\"idempotencyKey\":\"nodes-find-" + f
                        + "\"}", Map.of("X-Api-Key", projectKey)).get("findingId").asString();
                untilAnswered(lb.port(), "/api/v1/findings/" + findingId + "/forwarding", "{\"dataHolder\":\"CNAM\","
                        + "\"idempotencyKey\":\"nodes-fwd-" + f + "\"}", adminAuth());
                untilAnswered(lb.port(), "/api/v1/findings/" + findingId + "/acknowledgement", "{\"recipient\":"
                        + "\"PERSON\",\"idempotencyKey\":\"nodes-ack-" + f + "\"}", Map.of("X-Api-Key", holderKey));
                synchronized (findings) {
                    findings.add(findingId);
                }
            }
            return null;
        }));
        Thread.sleep(3_000);
        nodes.get(1).kill();
        Thread.sleep(3_000);
        nodes.get(2).freeze();
        lb.awaitState("node3", "DOWN", Duration.ofSeconds(10)); // the readiness check takes it out
        Thread.sleep(2_000);
        nodes.get(2).thaw();
        nodes.get(1).start();
        lb.awaitState("node2", "UP", Duration.ofSeconds(20));
        lb.awaitState("node3", "UP", Duration.ofSeconds(20));
        Thread.sleep(3_000);
        writing.set(false);
        for (Future<?> client : running) {
            client.get();
        }
        clients.shutdown();

        // then every acknowledged write is in the log once: sent again with its key, it replays the same entry
        assertThat(acknowledged).hasSizeGreaterThan(10);
        assertThat(new HashSet<>(acknowledged.values())).hasSameSizeAs(acknowledged.values());
        for (Map.Entry<String, Long> write : acknowledged.entrySet()) {
            Api.Response again = api.postAsAdmin("/api/v1/opt-outs", bodies.get(write.getKey()));
            assertThat(again.header("Idempotent-Replayed")).as(again.body()).isEqualTo("true");
            assertThat(again.json().get("leafIndex").asLong()).isEqualTo(write.getValue());
        }
        long size = logSize(api);
        assertThat(acknowledged.values()).allMatch(leaf -> leaf < size);

        // each notice was e-mailed, though every node runs the sender, and once but for the one the killed node may
        // have had in flight: handed to SMTP, not yet marked sent (the README's "Delivery"); a second copy is the
        // same message, with its Message-ID
        await("the e-mails", Duration.ofSeconds(90), () -> new HashSet<>(messageIds(smtp)).size() == FINDINGS);
        Thread.sleep(3_000);
        List<String> received = messageIds(smtp);
        assertThat(new HashSet<>(received)).hasSize(FINDINGS);
        assertThat(received).as("sent twice: " + sentBy(received)).hasSizeBetween(FINDINGS, FINDINGS + 1);

        // every node serves the same checkpoint, and the log verifies
        await("the same checkpoint on every node", Duration.ofSeconds(20),
                () -> nodes.stream().map(n -> get(n.port(), "/api/v1/log/checkpoint")).distinct().count() == 1);
        Map.Entry<Integer, String> verified = nodes.get(0).command("verify");
        assertThat(verified.getKey()).as(verified.getValue()).isZero();

        // anchoring: one leader, and every node reports the same anchor, covering what was written
        await("the log anchored, and every node saying so", Duration.ofSeconds(60), () -> {
            List<JsonNode> statuses = nodes.stream().map(n -> JSON.readTree(get(n.port(), "/api/v1/anchors/status")))
                    .toList();
            return statuses.stream().map(s -> s.get("latestTreeSize").asLong() + "/" + s.get("leader").asString())
                    .distinct().count() == 1 && statuses.get(0).get("problem").isNull()
                    && statuses.get(0).get("pendingEntries").asLong() == 0;
        });
        JsonNode status = JSON.readTree(get(nodes.get(2).port(), "/api/v1/anchors/status"));
        assertThat(status.get("leader").asString()).matches("node[123]");
        JsonNode check = JSON.readTree(get(nodes.get(1).port(), "/api/v1/anchors/verify?treeSize="
                + status.get("latestTreeSize").asLong()));
        assertThat(check.get("passed").asBoolean()).as(check.toString()).isTrue();
        assertThat(leaderships(status.get("leader").asString())).as("nodes that took the lead").isNotEmpty();

        // a session begun through the load balancer is valid on every node: no sticky routing needed
        PortalSession staff = new PortalSession(lb.port());
        staff.signIn("admin", Api.ADMIN_PASSWORD);
        for (LedgerProcess node : nodes) {
            PortalSession.Page page = staff.at(node.port()).get("/admin/projects");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("Cohorte multi-noeuds");
        }
        for (LedgerProcess node : nodes) {
            assertThat(camille.at(node.port()).get("/my/notifications").body()).contains("Veuillez consulter");
        }

        // a filtered extract uploaded through the load balancer can be downloaded from every node (shared storage)
        String page = staff.post("/admin/data-holders/accounts", Map.of("username", "cnam-nodes", "dataHolder",
                "CNAM")).body();
        java.util.regex.Matcher issuedPassword = java.util.regex.Pattern.compile("id=\"issued-password\">([^<]+)<")
                .matcher(page);
        assertThat(issuedPassword.find()).as(page).isTrue();
        PortalSession holder = new PortalSession(lb.port());
        holder.signIn("cnam-nodes", issuedPassword.group(1));
        holder.get("/holder");
        PortalSession.Page uploaded = holder.uploadExtract(projectId, "DCIR", "extract.txt", Nirs.anyNir() + "\n");
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(302);
        String filterId = uploaded.location().substring(uploaded.location().lastIndexOf('/') + 1);
        for (LedgerProcess node : nodes) {
            assertThat(holder.at(node.port()).get("/holder/deliveries/" + filterId + "/output").status())
                    .isEqualTo(200);
        }

        // a revoked key is refused by every node within a second
        JsonNode issued = api.postAsAdmin("/api/v1/data-holders/CNAM/api-keys", "{}").json();
        String doomed = issued.get("apiKey").asString();
        for (LedgerProcess node : nodes) {
            assertThat(new Api(node.port()).getWithApiKey("/api/v1/decisions/status", doomed).status()).isEqualTo(200);
        }
        assertThat(api.send("DELETE", "/api/v1/data-holders/CNAM/api-keys/" + issued.get("keyId").asString(),
                "admin", Api.ADMIN_PASSWORD).status()).isEqualTo(204);
        Thread.sleep(1_000);
        for (LedgerProcess node : nodes) {
            assertThat(new Api(node.port()).getWithApiKey("/api/v1/decisions/status", doomed).status()).isEqualTo(401);
        }

        // the sign-in limit is the service's: ten a minute from one address (a token back every 6 s), however many
        // nodes share the attempts; limits per node would let thirty through
        PortalSession guesser = new PortalSession(lb.port());
        guesser.get("/login");
        List<Integer> statuses = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            statuses.add(guesser.post("/login", Map.of("username", "nobody", "password", "wrong-" + i)).status());
        }
        long refilled = Duration.ofNanos(System.nanoTime() - started).toSeconds() / 6;
        assertThat(statuses.stream().filter(s -> s != 429).count()).as(statuses.toString())
                .isLessThanOrEqualTo(10 + refilled);
        assertThat(statuses).contains(429);
    }

    /** Sends until some node answers 2xx, the same key each time, as a client behind a load balancer must. */
    private JsonNode untilAnswered(int port, String path, String body, Map<String, String> headers) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                headers.forEach(request::header);
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return JSON.readTree(response.body());
                }
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() / 100 == 4 && response.statusCode() != 429) {
                    throw new AssertionError(path + " refused: " + last);
                }
            } catch (IOException e) {
                last = e.toString(); // the answer was lost: send again, same key
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Pause.millis(200);
        }
        throw new AssertionError(path + " never answered: " + last);
    }

    /** The Message-ID of each message received, in order of arrival. */
    private static List<String> messageIds(GreenMail smtp) {
        List<String> ids = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            try {
                ids.add(message.getMessageID());
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return ids;
    }

    /** For each message received twice, the runs of the nodes whose logs say they e-mailed it (a failure's evidence). */
    private static Map<String, List<String>> sentBy(List<String> received) throws IOException {
        Map<String, List<String>> senders = new TreeMap<>();
        for (String id : received) {
            if (received.indexOf(id) == received.lastIndexOf(id)) {
                continue;
            }
            String findingId = id.replaceAll("^<|\\.person@.*$", "");
            senders.put(findingId, runsLogging("notice " + findingId + " EMAIL: DELIVERED"));
        }
        return senders;
    }

    /** The runs ("node2/run-1.log") whose log holds {@code text}. */
    private static List<String> runsLogging(String text) throws IOException {
        List<String> runs = new ArrayList<>();
        for (int i = 1; i <= NODES; i++) {
            Path logs = Path.of("target/several-nodes/node" + i);
            try (Stream<Path> files = Files.list(logs)) {
                for (Path log : files.sorted().toList()) {
                    if (Files.readString(log).contains(text)) {
                        runs.add(logs.getFileName() + "/" + log.getFileName());
                    }
                }
            }
        }
        return runs;
    }

    private long logSize(Api api) {
        String checkpoint = api.get("/api/v1/log/checkpoint").body();
        return Long.parseLong(checkpoint.split("\n")[1]);
    }

    /** The nodes whose logs say they took the anchoring lead (the leader among them). */
    private List<String> leaderships(String leader) throws IOException {
        List<String> leaders = runsLogging("this node now leads anchoring").stream()
                .map(run -> run.substring(0, run.indexOf('/'))).toList();
        assertThat(leaders).contains(leader);
        return leaders;
    }

    private String get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", Api.basic("auditor", Api.AUDITOR_PASSWORD))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> adminAuth() {
        return Map.of("Authorization", Api.basic("admin", Api.ADMIN_PASSWORD));
    }

    private static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }


    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

}
