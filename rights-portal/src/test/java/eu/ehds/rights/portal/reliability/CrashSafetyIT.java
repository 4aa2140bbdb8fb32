package eu.ehds.rights.portal.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.LedgerProcess;
import eu.ehds.rights.portal.support.Nirs;
import eu.ehds.rights.portal.support.Pause;
import eu.ehds.rights.portal.support.PostgresHarness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Crash safety: clients send opt-outs and withdrawals at a steady rate while the ledger (its real jar, on PostgreSQL)
 * is killed with SIGKILL at random moments and started again. A request whose answer was lost is sent again with the
 * same idempotency key. Afterwards: every acknowledged command is in the log exactly once, in order; nothing
 * unacknowledged is there twice; {@code verify} passes; the decision read model agrees with the commands, and still
 * does after a rebuild from scratch. The same run is made with PostgreSQL crashed and restarted under the running
 * ledger instead. {@code -Dreliability.kills=N} runs a longer variant (default 4 faults each).
 */
class CrashSafetyIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Faults per run: {@code -Dreliability.kills=N} for a longer variant. */
    private static final int FAULTS = Integer.getInteger("reliability.kills", 4);
    private static final int PERSONS = 40;
    private static final int CLIENTS = 4;
    private static final byte[] KEY_BYTES = new byte[32];
    private static final String PSEUDONYM_KEY;

    static {
        new Random(7).nextBytes(KEY_BYTES);
        PSEUDONYM_KEY = Base64.getEncoder().encodeToString(KEY_BYTES);
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** What strikes the system between two pauses while the clients keep sending. */
    private interface Fault {
        void strike() throws Exception;
    }

    @Test
    void every_acknowledged_command_is_recorded_exactly_once_across_sigkills_of_the_application() throws Exception {
        Path logs = Path.of("target/crash-safety/sigkill");
        try (LedgerProcess ledger = new LedgerProcess(PostgresHarness.newDatabase(), dataDir(), PSEUDONYM_KEY, logs)) {
            run(ledger, "kills", () -> {
                ledger.kill();
                ledger.start();
            });
        }
    }

    @Test
    void every_acknowledged_command_is_recorded_exactly_once_across_sigkills_on_the_embedded_default() throws Exception {
        Path logs = Path.of("target/crash-safety/sigkill-embedded");
        try (LedgerProcess ledger = LedgerProcess.embedded(dataDir(), PSEUDONYM_KEY, logs)) {
            run(ledger, "kills on the embedded default", () -> {
                ledger.kill();
                ledger.start();
            });
        }
    }

    @Test
    void every_acknowledged_command_is_recorded_exactly_once_across_restarts_of_postgresql() throws Exception {
        Path logs = Path.of("target/crash-safety/postgres-restart");
        Random random = new Random();
        try (PostgresHarness.Cluster postgres = PostgresHarness.Cluster.start(true);
             LedgerProcess ledger = new LedgerProcess(postgres.newDatabase(), dataDir(), PSEUDONYM_KEY, logs)) {
            run(ledger, "PostgreSQL restarts", () -> {
                postgres.crash(); // the application keeps running and must not acknowledge what it could not store
                HttpResponse<String> keyCheck = trySend("http://127.0.0.1:" + ledger.port(), "/api/v1/decisions", "{}",
                        "X-Api-Key", "rlk_unknown");
                assertThat(keyCheck).as("an API key checked while the database is down").isNotNull();
                assertThat(keyCheck.statusCode()).as(keyCheck.body()).isEqualTo(503);
                Pause.millis(300 + random.nextInt(2500));
                postgres.restart();
                assertThat(ledger.isAlive()).as("the ledger survived PostgreSQL's restart").isTrue();
            });
        }
    }

    private static Path dataDir() throws IOException {
        return Files.createTempDirectory("crash-safety-").resolve("data");
    }

    private void run(LedgerProcess ledger, String faults, Fault fault) throws Exception {
        ledger.start();
        String base = "http://127.0.0.1:" + ledger.port();
        String projectId = JSON.readTree(send(base, "POST", "/api/v1/projects", "{\"title\":\"Crash\",\"controller\":"
                + "\"C\",\"purposeCategory\":\"STATISTICS\",\"dataHolders\":[\"H\"],\"datasets\":[\"D\"],"
                + "\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2030-01-01\",\"idempotencyKey\":\"crash-project\"}")
                .body()).get("projectId").asString();

        List<String> nirs = new ArrayList<>();
        for (int i = 0; i < PERSONS; i++) {
            nirs.add(Nirs.anyNir());
        }
        Map<Integer, List<Boolean>> acked = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong resent = new AtomicLong();
        Map<String, AtomicLong> unanswered = new ConcurrentHashMap<>(); // why requests went again: status or no answer
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            running.add(clients.submit(() -> {
                int[] sequence = new int[PERSONS];
                for (int round = 0; !stop.get(); round++) {
                    for (int p = client; p < PERSONS && !stop.get(); p += CLIENTS) {
                        boolean register = sequence[p] % 2 == 0; // each person alternates: opt out, withdraw, ...
                        String key = "crash-" + p + "-" + sequence[p];
                        String body = "{\"person\":\"" + nirs.get(p) + "\",\"scope\":{\"type\":\"GLOBAL\"},"
                                + "\"channel\":\"POST\",\"idempotencyKey\":\"" + key + "\"}";
                        String path = register ? "/api/v1/opt-outs" : "/api/v1/opt-outs/withdrawals";
                        for (int attempt = 0; ; attempt++) { // until acknowledged, with the same key
                            if (attempt > 0) {
                                resent.incrementAndGet();
                            }
                            HttpResponse<String> r = trySend(base, path, body);
                            if (r != null && r.statusCode() == 201) {
                                acked.computeIfAbsent(p, x -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                        .add(register);
                                break;
                            }
                            // no answer (killed, starting) or 503 (database unreachable): send again; else a failure
                            if (r != null && r.statusCode() != 503) {
                                throw new AssertionError("answered " + key + ": " + r.statusCode() + " " + r.body());
                            }
                            if (r != null && r.headers().firstValue("Retry-After").isEmpty()) {
                                throw new AssertionError("503 without Retry-After for " + key);
                            }
                            unanswered.computeIfAbsent(r == null ? "no answer" : Integer.toString(r.statusCode()),
                                    k -> new AtomicLong()).incrementAndGet();
                            Pause.millis(150);
                        }
                        sequence[p]++;
                        Pause.millis(20); // a steady rate: a few tens of commands a second over all clients
                    }
                }
                return null;
            }));
        }
        Random random = new Random();
        for (int strike = 0; strike < FAULTS; strike++) {
            Pause.millis(1500 + random.nextInt(2500));
            fault.strike();
        }
        Pause.millis(1500);
        stop.set(true);
        for (Future<?> f : running) {
            f.get(); // a client's assertion error surfaces here
        }
        clients.shutdown();

        // 1. the log holds every acknowledged command once, in each person's order, and nothing else of theirs
        Pseudonymiser pseudonymiser = new Pseudonymiser(KEY_BYTES);
        Map<String, List<Boolean>> logged = optOutsInTheLog(base);
        long acknowledged = 0;
        int lost = 0;
        int duplicated = 0;
        for (int p = 0; p < PERSONS; p++) {
            List<Boolean> expected = acked.getOrDefault(p, List.of());
            List<Boolean> found = logged.getOrDefault(pseudonymiser.pseudonymise(Nir.parse(nirs.get(p))), List.of());
            acknowledged += expected.size();
            lost += Math.max(0, expected.size() - found.size());
            duplicated += Math.max(0, found.size() - expected.size());
            assertThat(found).as("person %d", p).isEqualTo(expected);
        }
        System.out.printf("crash harness: %d %s, %d acknowledged commands, %d requests resent, %d lost, "
                + "%d recorded twice; answers that made a client try again: %s%n", FAULTS, faults, acknowledged,
                resent.get(), lost, duplicated, unanswered);
        assertThat(acknowledged).isGreaterThan(FAULTS * 10L);

        // 2. the Merkle log still verifies, leaf by leaf, checkpoint by checkpoint (H2's file is the server's alone)
        if (ledger.embedded()) {
            ledger.kill();
        }
        Map.Entry<Integer, String> verify = ledger.command("verify");
        assertThat(verify.getKey()).as(verify.getValue()).isZero();
        if (ledger.embedded()) {
            ledger.start();
        }

        // 3. the decision read model agrees with the commands, before and after a rebuild from scratch
        assertThat(send(base, "POST", "/api/v1/projects/" + projectId + "/permit",
                "{\"permitId\":\"P\",\"idempotencyKey\":\"crash-permit\"}").statusCode()).isEqualTo(201);
        checkDecisions(base, projectId, nirs, acked);
        assertThat(send(base, "POST", "/api/v1/decisions/read-model/rebuild", "{}").statusCode()).isLessThan(300);
        checkDecisions(base, projectId, nirs, acked);
    }

    private void checkDecisions(String base, String projectId, List<String> nirs, Map<Integer, List<Boolean>> acked)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (JSON.readTree(get(base, "/api/v1/decisions/status")).get("lag").asLong() > 0) {
            assertThat(System.nanoTime()).as("the read model catches up").isLessThan(deadline);
            Pause.millis(100);
        }
        for (int p = 0; p < PERSONS; p++) {
            List<Boolean> changes = acked.getOrDefault(p, List.of());
            boolean optedOut = !changes.isEmpty() && changes.get(changes.size() - 1);
            JsonNode decision = JSON.readTree(send(base, "POST", "/api/v1/decisions", "{\"person\":\"" + nirs.get(p)
                    + "\",\"projectId\":\"" + projectId + "\"}").body());
            assertThat(decision.get("allowed").asBoolean()).as("person %d (%s)", p, decision).isEqualTo(!optedOut);
        }
    }

    /** Each person's opt-out events in log order: true for a registration, false for a withdrawal. */
    private Map<String, List<Boolean>> optOutsInTheLog(String base) throws Exception {
        long size = Long.parseLong(get(base, "/api/v1/log/checkpoint").split("\n")[1]);
        Map<String, List<Boolean>> out = new HashMap<>();
        for (long start = 0; start < size; start += 1000) {
            for (JsonNode entry : JSON.readTree(get(base, "/api/v1/log/entries?start=" + start + "&end="
                    + Math.min(size, start + 1000)))) {
                String type = entry.get("event").get("type").asString();
                if (type.equals("OptOutRegistered") || type.equals("OptOutWithdrawn")) {
                    out.computeIfAbsent(entry.get("event").get("aggregateId").asString(), k -> new ArrayList<>())
                            .add(type.equals("OptOutRegistered"));
                }
            }
        }
        return out;
    }

    private HttpResponse<String> trySend(String base, String path, String body, String... headers) {
        try {
            return send(base, "POST", path, body, headers);
        } catch (IOException e) {
            return null; // the server was killed, or is starting: the same request goes again
        }
    }

    /** Sends as the admin, unless {@code headers} name other credentials. */
    private HttpResponse<String> send(String base, String method, String path, String body, String... headers)
            throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (headers.length == 0) {
            builder.header("Authorization", basic());
        } else {
            builder.headers(headers);
        }
        HttpRequest request = builder.build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private String get(String base, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", basic()).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String basic() {
        return Api.basic("admin", Api.ADMIN_PASSWORD);
    }
}
