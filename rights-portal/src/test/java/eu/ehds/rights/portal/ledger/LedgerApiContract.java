package eu.ehds.rights.portal.ledger;

import static eu.ehds.rights.portal.support.Api.ADMIN_PASSWORD;
import static eu.ehds.rights.portal.support.Api.AUDITOR_PASSWORD;
import static eu.ehds.rights.portal.support.Nirs.anyNir;
import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.checkpoint.Checkpoint;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.ledger.log.MerkleHashes;
import eu.ehds.rights.ledger.log.ProofVerifier;
import eu.ehds.rights.ledger.store.LogVerifier;
import eu.ehds.rights.portal.cli.Cli;
import eu.ehds.rights.portal.support.Api;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The ledger's behaviour through its HTTP API, on a real database. Subclasses choose the database (H2, PostgreSQL)
 * so the same suite runs on both.
 */
abstract class LedgerApiContract {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    LogVerifier verifier;

    @Autowired
    org.springframework.core.env.Environment environment;

    @Autowired
    eu.ehds.rights.ledger.identity.Pseudonymiser pseudonymiser;

    Api api;

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    static String key() {
        return "it-" + UUID.randomUUID();
    }

    String optOutBody(String nir, String scopeType, String scopeValue, String key) {
        String value = scopeValue == null ? "null" : "\"" + scopeValue + "\"";
        return "{\"person\":\"" + nir + "\",\"scope\":{\"type\":\"" + scopeType + "\",\"value\":" + value
                + "},\"channel\":\"POST\",\"idempotencyKey\":\"" + key + "\"}";
    }

    String registerProject() {
        Api.Response r = api.postAsAdmin("/api/v1/projects", "{\"title\":\"Cardiovascular outcomes\",\"controller\":"
                + "\"Inserm\",\"purposeCategory\":\"SCIENTIFIC_RESEARCH\",\"dataHolders\":[\"CNAM\",\"AP-HP\"],"
                + "\"datasets\":[\"DCIR\",\"PMSI\"],\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2027-12-31\","
                + "\"idempotencyKey\":\"" + key() + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("projectId").asString();
    }

    /** A registered project whose permit is approved at {@code approvedAt} (ISO-8601). */
    String permittedProject(String permitId, String approvedAt) {
        String project = registerProject();
        Api.Response permit = api.postAsAdmin("/api/v1/projects/" + project + "/permit", "{\"permitId\":\"" + permitId
                + "\",\"approvedAt\":\"" + approvedAt + "\",\"idempotencyKey\":\"" + key() + "\"}");
        assertThat(permit.status()).as(permit.body()).isEqualTo(201);
        return project;
    }

    /** Registers an opt-out and waits until the decision read model reflects it; returns the tree size. */
    long optOutAndAwait(String nir, String scopeType, String scopeValue) throws InterruptedException {
        long size = api.postAsAdmin("/api/v1/opt-outs", optOutBody(nir, scopeType, scopeValue, key()))
                .json().get("treeSize").asLong();
        awaitReadModel(size);
        return size;
    }

    long treeSize() {
        return Long.parseLong(api.get("/api/v1/log/checkpoint").body().split("\n")[1]);
    }

    // --- OptOuts ---

    @Test
    void registers_and_withdraws_an_opt_out_each_as_one_new_leaf() {
        String nir = anyNir();
        long before = treeSize();
        Api.Response registered = api.postAsAdmin("/api/v1/opt-outs", optOutBody(nir, "GLOBAL", null, key()));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(registered.json().get("leafIndex").asLong()).isGreaterThanOrEqualTo(before);
        assertThat(registered.json().get("treeSize").asLong())
                .isEqualTo(registered.json().get("leafIndex").asLong() + 1);

        Api.Response withdrawn = api.postAsAdmin("/api/v1/opt-outs/withdrawals",
                optOutBody(nir, "GLOBAL", null, key()));
        assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(201);
        assertThat(withdrawn.json().get("leafIndex").asLong())
                .isGreaterThan(registered.json().get("leafIndex").asLong());
    }

    @Test
    void refuses_a_second_opt_out_in_the_same_scope_with_409() {
        String nir = anyNir();
        api.postAsAdmin("/api/v1/opt-outs", optOutBody(nir, "PURPOSE", "STATISTICS", key()));
        Api.Response again = api.postAsAdmin("/api/v1/opt-outs", optOutBody(nir, "PURPOSE", "STATISTICS", key()));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asString()).contains("already active");
    }

    @Test
    void accepts_an_opt_out_for_a_registered_project_and_refuses_an_unknown_one() {
        String projectId = registerProject();
        assertThat(api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "PROJECT", projectId, key())).status())
                .isEqualTo(201);
        Api.Response unknown = api.postAsAdmin("/api/v1/opt-outs",
                optOutBody(anyNir(), "PROJECT", "prj-unknown", key()));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asString()).contains("prj-unknown");
    }

    @Test
    void answers_an_invalid_nir_with_400_naming_the_problem_but_not_the_number() {
        long before = treeSize();
        Api.Response r = api.postAsAdmin("/api/v1/opt-outs", optOutBody("206127511100565", "GLOBAL", null, key()));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("detail").asString()).contains("key").doesNotContain("2061275111005");
        assertThat(treeSize()).isEqualTo(before);
    }

    @Test
    void answers_bad_input_with_400_and_records_nothing() {
        long before = treeSize();
        assertThat(api.postAsAdmin("/api/v1/opt-outs", "{not json").status()).isEqualTo(400);
        assertThat(api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "EVERYTHING", null, key()))
                .json().get("detail").asString()).contains("scope.type");
        assertThat(api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "PURPOSE", "ADVERTISING", key()))
                .json().get("detail").asString()).contains("unknown purpose category");
        assertThat(api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, "short"))
                .json().get("detail").asString()).contains("idempotencyKey");
        assertThat(treeSize()).isEqualTo(before);
    }

    // --- Idempotency ---

    @Test
    void a_retry_returns_the_original_leaf_and_appends_nothing() {
        String body = optOutBody(anyNir(), "GLOBAL", null, key());
        Api.Response first = api.postAsAdmin("/api/v1/opt-outs", body);
        long size = treeSize();
        Api.Response retry = api.postAsAdmin("/api/v1/opt-outs", body);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(treeSize()).isEqualTo(size);
    }

    @Test
    void a_retried_project_registration_returns_the_same_project() {
        String body = "{\"title\":\"T\",\"controller\":\"C\",\"purposeCategory\":\"STATISTICS\",\"dataHolders\":"
                + "[\"CNAM\"],\"datasets\":[\"DCIR\"],\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2026-06-30\","
                + "\"idempotencyKey\":\"" + key() + "\"}";
        Api.Response first = api.postAsAdmin("/api/v1/projects", body);
        Api.Response retry = api.postAsAdmin("/api/v1/projects", body);
        assertThat(retry.json().get("projectId").asString()).isEqualTo(first.json().get("projectId").asString());
    }

    @Test
    void the_same_key_for_another_request_is_refused() {
        String key = key();
        api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, key));
        Api.Response other = api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, key));
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.json().get("detail").asString()).contains("already used for a different request");
    }

    @Test
    void concurrent_retries_record_once() throws Exception {
        String body = optOutBody(anyNir(), "GLOBAL", null, key());
        long before = treeSize();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Api.Response>> responses = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                responses.add(pool.submit(() -> api.postAsAdmin("/api/v1/opt-outs", body)));
            }
            Set<String> bodies = ConcurrentHashMap.newKeySet();
            for (Future<Api.Response> f : responses) {
                Api.Response r = f.get();
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                bodies.add(r.body());
            }
            assertThat(bodies).hasSize(1);
        } finally {
            pool.shutdown();
        }
        assertThat(treeSize()).isEqualTo(before + 1);
    }

    /**
     * Many clients change the same person's choice at once, each with its own key: every change is either recorded or
     * refused with 409 (optimistic concurrency on the person's stream), and what the log holds is a consistent story:
     * registrations and withdrawals alternate, one recorded event per accepted request, no lost update.
     */
    @Test
    void concurrent_changes_of_one_persons_choice_end_in_a_consistent_history() throws Exception {
        String nir = anyNir();
        String person = pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(nir));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Api.Response>> responses = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                String path = i % 2 == 0 ? "/api/v1/opt-outs" : "/api/v1/opt-outs/withdrawals";
                String body = optOutBody(nir, "GLOBAL", null, key());
                responses.add(pool.submit(() -> api.postAsAdmin(path, body)));
            }
            int accepted = 0;
            for (Future<Api.Response> f : responses) {
                Api.Response r = f.get();
                assertThat(r.status()).as(r.body()).isIn(201, 409);
                accepted += r.status() == 201 ? 1 : 0;
            }
            List<String> history = new ArrayList<>();
            long size = treeSize();
            for (long start = 0; start < size; start += 1000) {
                for (tools.jackson.databind.JsonNode e : api.get("/api/v1/log/entries?start=" + start + "&end="
                        + Math.min(size, start + 1000), "auditor", AUDITOR_PASSWORD).json()) {
                    if (e.get("event").get("aggregateId").asString().equals(person)) {
                        history.add(e.get("event").get("type").asString());
                    }
                }
            }
            assertThat(accepted).isPositive();
            assertThat(history).hasSize(accepted);
            for (int i = 0; i < history.size(); i++) {
                assertThat(history.get(i)).as("change %d of %s", i, history)
                        .isEqualTo(i % 2 == 0 ? "OptOutRegistered" : "OptOutWithdrawn");
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Generated bad requests to the staff commands: fields dropped, retyped, nested, oversized, invalid NIRs and
     * dates, bodies that are not JSON. Each gets a 4xx with a message (never a 500), and the log grows only by the
     * requests it accepted, whole.
     */
    @Test
    void generated_bad_requests_get_a_4xx_and_record_nothing_partially() {
        String project = registerProject();
        String mandate = api.postAsAdmin("/api/v1/mandates", "{\"representative\":\"" + anyNir() + "\",\"represented\":\""
                + anyNir() + "\",\"kind\":\"PARENT\",\"validUntil\":\"2040-01-01T00:00:00Z\",\"idempotencyKey\":\""
                + key() + "\"}").json().get("mandateId").asString();
        List<String[]> templates = List.of(
                new String[] {"/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, "KEY")},
                new String[] {"/api/v1/opt-outs/withdrawals", optOutBody(anyNir(), "PURPOSE", "STATISTICS", "KEY")},
                new String[] {"/api/v1/projects", "{\"title\":\"T\",\"controller\":\"C\",\"purposeCategory\":"
                        + "\"STATISTICS\",\"dataHolders\":[\"H\"],\"datasets\":[\"D\"],\"plannedStart\":"
                        + "\"2026-01-01\",\"plannedEnd\":\"2027-01-01\",\"idempotencyKey\":\"KEY\"}"},
                new String[] {"/api/v1/projects/" + project + "/derogation",
                        "{\"legalGround\":\"g\",\"justification\":\"j\",\"idempotencyKey\":\"KEY\"}"},
                new String[] {"/api/v1/mandates", "{\"representative\":\"" + anyNir() + "\",\"represented\":\""
                        + anyNir() + "\",\"kind\":\"PARENT\",\"validUntil\":\"2031-01-01T00:00:00Z\","
                        + "\"idempotencyKey\":\"KEY\"}"},
                new String[] {"/api/v1/notification-objections", "{\"person\":\"" + anyNir()
                        + "\",\"channel\":\"PHONE\",\"idempotencyKey\":\"KEY\"}"},
                new String[] {"/api/v1/projects/" + project + "/permit", "{\"permitId\":\"P-1\",\"approvedAt\":"
                        + "\"2026-02-01T10:00:00Z\",\"idempotencyKey\":\"KEY\"}"},
                new String[] {"/api/v1/projects/" + project + "/results", "{\"summary\":\"S\",\"resultsUrl\":"
                        + "\"https://example.org/r\",\"idempotencyKey\":\"KEY\"}"},
                new String[] {"/api/v1/projects/" + project + "/usages", "{\"dataHolder\":\"CNAM\",\"dataset\":"
                        + "\"DCIR\",\"personCount\":12,\"cohortCommitment\":\"" + "0f".repeat(32)
                        + "\",\"idempotencyKey\":\"KEY\"}"},
                new String[] {"/api/v1/mandates/" + mandate + "/revocation", "{\"reason\":\"court decision\","
                        + "\"idempotencyKey\":\"KEY\"}"});
        String[] replacements = {"null", "42", "true", "[]", "{}", "\"\"", "\"" + "x".repeat(300_000) + "\"",
                "\"2 84 05 2A 004 018 00\"", "\"9999-99-99\"", "[[[[[[[[[[1]]]]]]]]]]", "-1e309"};
        java.util.Random random = new java.util.Random(11);
        long before = treeSize();
        int accepted = 0;
        java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
        for (int round = 0; round < 200; round++) {
            String[] t = templates.get(random.nextInt(templates.size()));
            String body = t[1].replace("KEY", key());
            java.util.regex.Matcher fields = java.util.regex.Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|\\[[^\\]]*\\]|\\{[^}]*\\}|null)")
                    .matcher(body);
            List<String[]> values = new ArrayList<>();
            while (fields.find()) {
                values.add(new String[] {fields.group(1), fields.group(2)});
            }
            String[] field = values.get(random.nextInt(values.size()));
            String mutated = switch (random.nextInt(4)) {
                case 0 -> body.replace("\"" + field[0] + "\":" + field[1], "\"" + field[0] + "\":"
                        + replacements[random.nextInt(replacements.length)]);
                case 1 -> body.replace("\"" + field[0] + "\":" + field[1] + ",", "").replace(",\"" + field[0] + "\":"
                        + field[1], "");
                case 2 -> body.substring(0, random.nextInt(body.length()));
                default -> new String(new byte[] {(byte) 0xff, (byte) 0xfe, '{', '"'}, StandardCharsets.ISO_8859_1) + body;
            };
            Api.Response r = api.postAsAdmin(t[0], mutated);
            seen.merge(t[0] + " " + r.status(), 1, Integer::sum);
            assertThat(r.status()).as("%s %s -> %s", t[0], mutated.length() > 300 ? mutated.substring(0, 300) : mutated,
                    r.body()).isLessThan(500);
            if (r.status() == 201) {
                accepted++;
            } else {
                assertThat(r.status()).isBetween(400, 499);
                assertThat(r.json().get("detail").asString()).isNotBlank().doesNotContain("Exception");
            }
        }
        assertThat(treeSize()).as("statuses %s", seen).isEqualTo(before + accepted);
    }

    @Test
    void a_request_for_a_media_type_the_api_cannot_produce_gets_406_not_an_error() {
        for (String path : List.of("/api/v1/decisions/status", "/api/v1/log/public-key", "/api/v1/anchors/status",
                "/api/v1/findings")) {
            Api.Response r = api.getAccepting(path, "text/html");
            assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(406);
        }
        assertThat(api.getAccepting("/api/v1/decisions/status", "application/json").status()).isEqualTo(200);
    }

    // --- Projects ---

    @Test
    void records_the_whole_life_of_a_project() {
        String id = registerProject();
        String p = "/api/v1/projects/" + id;
        assertThat(api.postAsAdmin(p + "/permit", "{\"permitId\":\"HDAB-2026-001\",\"approvedAt\":"
                + "\"2026-02-01T10:00:00Z\",\"idempotencyKey\":\"" + key() + "\"}").status()).isEqualTo(201);
        assertThat(api.postAsAdmin(p + "/derogation", "{\"legalGround\":\"Art. 71(4) EHDS, Code de la santé "
                + "publique L.1461-x\",\"justification\":\"Epidemic surveillance\",\"idempotencyKey\":\"" + key()
                + "\"}").status()).isEqualTo(201);
        Api.Response usage = api.postAsAdmin(p + "/usages", "{\"dataHolder\":\"CNAM\",\"dataset\":\"DCIR\","
                + "\"personCount\":120000,\"cohortCommitment\":\"" + "0f".repeat(32) + "\",\"idempotencyKey\":\""
                + key() + "\"}");
        assertThat(usage.status()).as(usage.body()).isEqualTo(201);
        assertThat(usage.json().get("usageId").asString()).startsWith("use-");
        assertThat(api.postAsAdmin(p + "/results", "{\"summary\":\"Lower mortality\",\"resultsUrl\":"
                + "\"https://example.org/r\",\"idempotencyKey\":\"" + key() + "\"}").status()).isEqualTo(201);
        assertThat(api.postAsAdmin(p + "/closure", "{\"idempotencyKey\":\"" + key() + "\"}").status()).isEqualTo(201);
        Api.Response late = api.postAsAdmin(p + "/usages", "{\"dataHolder\":\"CNAM\",\"dataset\":\"DCIR\","
                + "\"personCount\":1,\"cohortCommitment\":\"" + "0f".repeat(32) + "\",\"idempotencyKey\":\""
                + key() + "\"}");
        assertThat(late.status()).isEqualTo(409);
    }

    @Test
    void refuses_commands_for_an_unknown_project_with_404() {
        assertThat(api.postAsAdmin("/api/v1/projects/prj-nope/permit", "{\"permitId\":\"X\",\"idempotencyKey\":\""
                + key() + "\"}").status()).isEqualTo(404);
    }

    @Test
    void refuses_an_incomplete_sheet_with_400_naming_the_field() {
        Api.Response r = api.postAsAdmin("/api/v1/projects", "{\"title\":\"T\",\"purposeCategory\":\"STATISTICS\","
                + "\"dataHolders\":[\"CNAM\"],\"datasets\":[\"DCIR\"],\"plannedStart\":\"2026-01-01\","
                + "\"plannedEnd\":\"2026-06-30\",\"idempotencyKey\":\"" + key() + "\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("detail").asString()).contains("controller");
    }

    @Test
    void grants_and_revokes_a_mandate() {
        Api.Response granted = api.postAsAdmin("/api/v1/mandates", "{\"representative\":\"" + anyNir()
                + "\",\"represented\":\"" + anyNir() + "\",\"kind\":\"PARENT\",\"validUntil\":"
                + "\"2040-01-01T00:00:00Z\",\"idempotencyKey\":\"" + key() + "\"}");
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        String id = granted.json().get("mandateId").asString();
        assertThat(api.postAsAdmin("/api/v1/mandates/" + id + "/revocation", "{\"reason\":\"court decision\","
                + "\"idempotencyKey\":\"" + key() + "\"}").status()).isEqualTo(201);
    }

    // --- VerifiableLog ---

    @Test
    void checkpoints_are_signed_notes_that_verify_with_the_published_key() {
        api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, key()));
        JsonNode key = api.get("/api/v1/log/public-key").json();
        assertThat(key.get("algorithm").asString()).isEqualTo("Ed25519");
        Api.Response note = api.get("/api/v1/log/checkpoint");
        assertThat(note.header("Content-Type")).startsWith("text/plain").containsIgnoringCase("utf-8");
        Checkpoint checkpoint = new NoteVerifier(key.get("origin").asString(),
                Base64.getDecoder().decode(key.get("publicKey").asString())).verify(note.body());
        assertThat(checkpoint.treeSize()).isGreaterThan(0);
    }

    @Test
    void a_past_tree_size_is_served_only_as_the_checkpoint_issued_then_never_signed_anew() {
        // given checkpoints issued at two sizes, with entries appended between them that no checkpoint covers
        api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, key()));
        Api.Response first = api.get("/api/v1/log/checkpoint");
        long firstSize = Long.parseLong(first.body().split("\n")[1]);
        api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, key()));
        api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, key()));
        long secondSize = Long.parseLong(api.get("/api/v1/log/checkpoint").body().split("\n")[1]);
        assertThat(secondSize).isEqualTo(firstSize + 2);

        // then the first size gives back the very note issued then, byte for byte
        assertThat(api.get("/api/v1/log/checkpoint?treeSize=" + firstSize).body()).isEqualTo(first.body());

        // and a size in between, never issued, is not found: the problem names the nearest stored sizes
        Api.Response between = api.get("/api/v1/log/checkpoint?treeSize=" + (firstSize + 1));
        assertThat(between.status()).isEqualTo(404);
        assertThat(between.header("Content-Type")).startsWith("application/problem+json");
        assertThat(between.json().get("detail").asString()).contains("no checkpoint was issued at tree size "
                + (firstSize + 1)).contains("never signed anew");
        assertThat(between.json().get("nearestTreeSizes").toString()).isEqualTo("[" + firstSize + "," + secondSize + "]");
        // and asking did not issue one
        assertThat(api.get("/api/v1/log/checkpoint?treeSize=" + (firstSize + 1)).status()).isEqualTo(404);
    }

    @Test
    void every_leaf_has_an_inclusion_proof_under_the_checkpoint_and_sizes_are_consistent() {
        Checkpoint first = currentCheckpoint();
        for (int i = 0; i < 5; i++) {
            api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, key()));
        }
        Checkpoint second = currentCheckpoint();
        for (long leaf = 0; leaf < second.treeSize(); leaf++) {
            JsonNode proof = api.get("/api/v1/log/proof/inclusion?leafIndex=" + leaf + "&treeSize="
                    + second.treeSize()).json();
            assertThat(ProofVerifier.verifyInclusion(hex(proof.get("leafHash").asString()), leaf, second.treeSize(),
                    hexList(proof.get("auditPath")), second.rootHash())).as("leaf %d", leaf).isTrue();
        }
        JsonNode consistency = api.get("/api/v1/log/proof/consistency?first=" + first.treeSize() + "&second="
                + second.treeSize()).json();
        assertThat(ProofVerifier.verifyConsistency(first.treeSize(), second.treeSize(),
                hexList(consistency.get("proof")), first.rootHash(), second.rootHash())).isTrue();
    }

    @Test
    void entries_give_auditors_the_exact_leaf_bytes() {
        api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, key()));
        long size = treeSize();
        // the last entries, within one page (earlier tests may have recorded more than a page)
        Api.Response entries = api.get("/api/v1/log/entries?start=" + Math.max(0, size - 50) + "&end=" + size,
                "auditor", AUDITOR_PASSWORD);
        assertThat(entries.status()).as(entries.body()).isEqualTo(200);
        assertThat(entries.json().size()).isEqualTo((int) Math.min(size, 50));
        for (JsonNode entry : entries.json()) {
            byte[] leaf = Base64.getDecoder().decode(entry.get("leafData").asString());
            JsonNode proof = api.get("/api/v1/log/proof/inclusion?leafIndex=" + entry.get("leafIndex").asLong()
                    + "&treeSize=" + size).json();
            assertThat(HexFormat.of().formatHex(MerkleHashes.leafHash(leaf)))
                    .isEqualTo(proof.get("leafHash").asString());
            assertThat(entry.get("event").get("type").asString()).isNotBlank();
        }
    }

    @Test
    void entries_are_for_auditors_only_and_pages_are_bounded() {
        assertThat(api.get("/api/v1/log/entries?start=0&end=1").status()).isEqualTo(401);
        assertThat(api.get("/api/v1/log/entries?start=0&end=5000", "auditor", AUDITOR_PASSWORD).status())
                .isEqualTo(400);
        assertThat(api.get("/api/v1/log/proof/inclusion?leafIndex=0&treeSize=999999999").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/log/proof/inclusion?leafIndex=x&treeSize=1").status()).isEqualTo(400);
    }

    @Test
    void tampering_with_a_stored_event_is_caught_and_names_the_leaf() throws Exception {
        Api.Response recorded = api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, key()));
        long leaf = recorded.json().get("leafIndex").asLong();
        currentCheckpoint();
        assertThat(verifier.verify().ok()).isTrue();

        String eventId;
        byte[] original;
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT l.event_identifier, e.payload FROM log_leaf l "
                     + "JOIN domain_event_entry e ON e.event_identifier = l.event_identifier WHERE l.leaf_index = ?")) {
            q.setLong(1, leaf);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                eventId = rs.getString(1);
                original = rs.getBytes(2);
            }
        }
        byte[] forged = new String(original, StandardCharsets.UTF_8).replace("\"GLOBAL\"", "\"PURPOSE\"")
                .getBytes(StandardCharsets.UTF_8);
        try {
            updatePayload(eventId, forged);
            LogVerifier.Report report = verifier.verify();
            assertThat(report.ok()).isFalse();
            assertThat(report.firstBadLeaf()).isEqualTo(leaf);
            assertThat(report.problems()).anyMatch(p -> p.contains("leaf " + leaf));
        } finally {
            updatePayload(eventId, original);
        }
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void the_whole_log_verifies_after_concurrent_writers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                statuses.add(pool.submit(() -> api.postAsAdmin("/api/v1/opt-outs",
                        optOutBody(anyNir(), "GLOBAL", null, key())).status()));
            }
            for (Future<Integer> s : statuses) {
                assertThat(s.get()).isEqualTo(201);
            }
        } finally {
            pool.shutdown();
        }
        currentCheckpoint();
        LogVerifier.Report report = verifier.verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.treeSize()).isEqualTo(report.eventsInStore());
    }

    // --- GroupCommit ---

    @Autowired
    GroupCommitter groupCommitter;

    @Test
    void concurrent_commands_share_commits_each_validated_against_the_earlier_ones_of_its_batch() throws Exception {
        // given 24 persons, each sent the same opt-out three times at once under three keys, and 24 others once
        List<String> twice = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            twice.add(anyNir());
        }
        long batchesBefore = groupCommitter.batchesCommitted();
        long commandsBefore = groupCommitter.commandsCommitted();
        long sizeBefore = treeSize();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Api.Response>> answers = new ArrayList<>();
        List<String> persons = new ArrayList<>();
        try {
            for (int round = 0; round < 3; round++) {
                for (String nir : twice) {
                    persons.add(nir);
                    answers.add(pool.submit(() -> api.postAsAdmin("/api/v1/opt-outs",
                            optOutBody(nir, "GLOBAL", null, key()))));
                }
                for (int i = 0; i < 8; i++) {
                    String nir = anyNir();
                    persons.add(nir);
                    answers.add(pool.submit(() -> api.postAsAdmin("/api/v1/opt-outs",
                            optOutBody(nir, "GLOBAL", null, key()))));
                }
            }
            // when they are answered
            java.util.Map<String, Integer> recorded = new java.util.HashMap<>();
            List<Long> leaves = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                Api.Response r = answers.get(i).get();
                assertThat(r.status()).as(r.body()).isIn(201, 409);
                if (r.status() == 201) {
                    recorded.merge(persons.get(i), 1, Integer::sum);
                    leaves.add(r.json().get("leafIndex").asLong());
                } else {
                    assertThat(r.body()).contains("already active");
                }
            }
            // then each person's opt-out was recorded once, the others refused on their own, leaves dense and distinct
            assertThat(recorded).hasSize(48).allSatisfy((nir, count) -> assertThat(count).isEqualTo(1));
            assertThat(leaves).doesNotHaveDuplicates().hasSize(48);
            assertThat(leaves.stream().mapToLong(Long::longValue).min().orElseThrow()).isGreaterThanOrEqualTo(sizeBefore);
            assertThat(treeSize()).isEqualTo(sizeBefore + 48);
        } finally {
            pool.shutdown();
        }
        // and commands that arrived together were committed together
        long batches = groupCommitter.batchesCommitted() - batchesBefore;
        long commands = groupCommitter.commandsCommitted() - commandsBefore;
        assertThat(commands).isEqualTo(48);
        assertThat(batches).as("%d commands in %d commits", commands, batches).isLessThan(commands);
        currentCheckpoint();
        assertThat(verifier.verify().problems()).isEmpty();
    }

    @Autowired
    LedgerCommands ledgerCommands;

    @Test
    void a_refused_command_leaves_the_others_of_its_batch_and_the_next_for_its_person_is_checked_in_the_next()
            throws Exception {
        // given the writer held up (the log's lock taken elsewhere) while P opts out of a purpose, then of an unknown
        // project, then withdraws the first, so that the three arrive in one batch
        String nir = anyNir();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Api.Response>> answers = new ArrayList<>();
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT tree_size FROM log_head FOR UPDATE")) {
                lock.executeQuery().close();
            }
            Future<Api.Response> first = pool.submit(() -> api.postAsAdmin("/api/v1/opt-outs",
                    optOutBody(anyNir(), "GLOBAL", null, key())));
            Thread.sleep(300); // the writer waits for the lock with that first batch
            answers.add(pool.submit(() -> api.postAsAdmin("/api/v1/opt-outs",
                    optOutBody(nir, "PURPOSE", "STATISTICS", key()))));
            Thread.sleep(100);
            answers.add(pool.submit(() -> api.postAsAdmin("/api/v1/opt-outs",
                    optOutBody(nir, "PROJECT", "prj-unknown", key()))));
            Thread.sleep(100);
            answers.add(pool.submit(() -> api.postAsAdmin("/api/v1/opt-outs/withdrawals",
                    optOutBody(nir, "PURPOSE", "STATISTICS", key()))));
            Thread.sleep(200);
            holder.rollback();
            assertThat(first.get().status()).isEqualTo(201);
        } finally {
            pool.shutdown();
        }

        // then the refusal is P's second request alone, and the withdrawal is checked against P's opt-out
        assertThat(answers.get(0).get().status()).as(answers.get(0).get().body()).isEqualTo(201);
        assertThat(answers.get(1).get().status()).isEqualTo(404);
        assertThat(answers.get(2).get().status()).as(answers.get(2).get().body()).isEqualTo(201);
        assertThat(answers.get(2).get().json().get("leafIndex").asLong())
                .isGreaterThan(answers.get(0).get().json().get("leafIndex").asLong());
    }


    @Test
    void in_a_bulk_batch_a_command_after_a_refused_one_for_the_same_person_is_skipped() {
        // given one bulk batch: P registers an opt-out already in force, then withdraws it; Q registers one
        String p = pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(anyNir()));
        String q = pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(anyNir()));
        var global = eu.ehds.rights.ledger.api.optout.OptOutScope.global();
        Instant now = Instant.now();
        assertThat(ledgerCommands.submitAll(List.of(register(p, global, now))).get(0).refusal()).isNull();
        long size = treeSize();

        // when it is written
        List<LedgerCommands.Answer> answers = ledgerCommands.submitAll(List.of(register(p, global, now),
                withdraw(p, global, now), register(q, global, now)));

        // then P's withdrawal is skipped (it must not withdraw the opt-out recorded otherwise) and Q's is recorded
        assertThat(answers).extracting(a -> a.refusal() == null ? "recorded" : a.refusal().getClass().getSimpleName())
                .containsExactly("ConflictException", "Skipped", "recorded");
        assertThat(treeSize()).isEqualTo(size + 1);
    }

    static LedgerCommands.Bulk register(String person, eu.ehds.rights.ledger.api.optout.OptOutScope scope,
                                                Instant at) {
        String k = key();
        return new LedgerCommands.Bulk("opt-outs/register", List.of(person, scope.toString()), k,
                new eu.ehds.rights.ledger.api.optout.RegisterOptOutCommand(person, scope,
                        eu.ehds.rights.ledger.api.common.Channel.POST, "it", at, k));
    }

    private static LedgerCommands.Bulk withdraw(String person, eu.ehds.rights.ledger.api.optout.OptOutScope scope,
                                                Instant at) {
        String k = key();
        return new LedgerCommands.Bulk("opt-outs/withdraw", List.of(person, scope.toString()), k,
                new eu.ehds.rights.ledger.api.optout.WithdrawOptOutCommand(person, scope,
                        eu.ehds.rights.ledger.api.common.Channel.POST, "it", at, k));
    }

    // --- RegistryImport ---

    @Autowired
    eu.ehds.rights.projections.decision.DecisionProjection decisions;

    @Test
    void an_existing_registry_is_imported_once_with_its_dates_its_refused_lines_named_and_a_signed_report()
            throws Exception {
        // given a registry: 40 opt-outs (every fifth withdrawn), bad lines, and a person who opted out live
        String project = registerProject();
        String live = anyNir();
        assertThat(api.postAsAdmin("/api/v1/opt-outs", optOutBody(live, "GLOBAL", null, key())).status())
                .isEqualTo(201);
        StringBuilder csv = new StringBuilder("nir,scope,registered_at,channel,withdrawn_at\n");
        List<String[]> good = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String nir = anyNir();
            String scope = i % 4 == 1 ? "PURPOSE:STATISTICS" : i % 4 == 2 ? "PROJECT:" + project : "GLOBAL";
            String registered = "2022-0" + (1 + i % 9) + "-1" + (i % 10);
            String withdrawn = i % 5 == 0 ? "2023-03-01T10:15:00+01:00" : "";
            good.add(new String[] {nir, scope, registered, withdrawn});
            csv.append(nir).append(',').append(scope).append(',').append(registered).append(",POST,")
                    .append(withdrawn).append('\n');
        }
        String badKey = anyNir().substring(0, 13) + "00";
        List<String> refusedNirs = List.of(anyNir(), anyNir(), anyNir(), anyNir());
        csv.append(badKey).append(",GLOBAL,2022-01-01,POST,\n");                       // line 42: NIR key wrong
        csv.append(refusedNirs.get(0)).append(",GLOBAL,2999-01-01,POST,\n");           // line 43: in the future
        csv.append(refusedNirs.get(1)).append(",PROJECT:prj-unknown,2022-01-01,POST,\n"); // line 44: unknown project
        csv.append(refusedNirs.get(2)).append(",GLOBAL,2022-05-01,POST,2022-04-01\n"); // line 45: withdrawn first
        csv.append(live).append(",GLOBAL,2021-01-01,POST,2021-06-01\n");               // line 46: already active
        csv.append(refusedNirs.get(3)).append(",GLOBAL,yesterday,FAX,\n");              // line 47: date unreadable
        String twice = anyNir();
        csv.append(twice).append(",GLOBAL,2020-01-01,POST,2020-06-01\n");             // line 48: withdrawn, then
        csv.append(twice).append(",GLOBAL,2021-01-01,PHONE,\n");                      // line 49: in force again
        long sizeBefore = treeSize();

        // when it is imported
        Api.Response first = api.postCsvAsAdmin("/api/v1/registry-imports?source=cnam-registry.csv", csv.toString());

        // then every good row is recorded with its dates, each bad one named by line without its values
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        JsonNode report = first.json();
        assertThat(report.get("rows").asLong()).isEqualTo(48);
        assertThat(report.get("optOutsRecorded").asLong()).isEqualTo(42);
        assertThat(report.get("withdrawalsRecorded").asLong()).isEqualTo(9);
        assertThat(report.get("rowsRefused").asLong()).isEqualTo(6);
        assertThat(report.get("inputSha256").asString()).isEqualTo(eu.ehds.rights.ledger.crypto.Sha256.hex(
                csv.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(StreamSupport.stream(report.get("errors").spliterator(), false).map(e -> e.get("line").asLong()))
                .containsExactlyInAnyOrder(42L, 43L, 44L, 45L, 46L, 47L);
        assertThat(first.body()).doesNotContain(badKey).doesNotContain(live).doesNotContain("yesterday")
                .doesNotContain("prj-unknown").doesNotContain("2999-01-01").doesNotContain("FAX")
                .doesNotContain("2022-04-01").doesNotContain(refusedNirs.toArray(String[]::new));
        assertThat(report.get("firstLeaf").asLong()).isGreaterThanOrEqualTo(sizeBefore);
        assertThat(report.get("lastLeaf").asLong() - report.get("firstLeaf").asLong()).isEqualTo(50);
        assertThat(report.get("runBy").asString()).isEqualTo("admin API (admin)");
        // and the live opt-out of the person on line 46 was not withdrawn by the import
        long size = report.get("treeSize").asLong();
        awaitReadModel(size);
        assertThat(decisions.optOuts(pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(live)), size))
                .singleElement().satisfies(p -> assertThat(p.withdrawnAt()).isNull());
        // and a person's two rows were applied in the file's order: withdrawn in 2020, in force since 2021
        assertThat(decisions.optOuts(pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(twice)),
                size)).extracting(p -> p.registeredAt().toString() + "/" + p.withdrawnAt())
                .containsExactlyInAnyOrder("2019-12-31T23:00:00Z/2020-05-31T22:00:00Z", "2020-12-31T23:00:00Z/null");
        // and the decision read model holds each row's own dates
        for (String[] row : good) {
            Instant registered = java.time.LocalDate.parse(row[2]).atStartOfDay(java.time.ZoneId.of("Europe/Paris"))
                    .toInstant();
            Instant withdrawn = row[3].isEmpty() ? null : java.time.OffsetDateTime.parse(row[3]).toInstant();
            assertThat(decisions.optOuts(pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(row[0])),
                    size)).singleElement().satisfies(p -> {
                        assertThat(p.scope().toString()).isEqualTo(row[1]);
                        assertThat(p.registeredAt()).isEqualTo(registered);
                        assertThat(p.withdrawnAt()).isEqualTo(withdrawn);
                    });
        }
        // and the report is signed by the log's key
        JsonNode key = api.get("/api/v1/log/public-key").json();
        NoteVerifier logKey = new NoteVerifier(key.get("origin").asString(),
                Base64.getDecoder().decode(key.get("publicKey").asString()));
        com.fasterxml.jackson.databind.ObjectMapper jackson2 = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode signed =
                (com.fasterxml.jackson.databind.node.ObjectNode) jackson2.readTree(first.body());
        assertThat(eu.ehds.rights.portal.receipt.SignedDocuments.verify(logKey,
                "rights-ledger registry import report v1\n", signed)).isTrue();
        signed.put("optOutsRecorded", 41);
        assertThat(eu.ehds.rights.portal.receipt.SignedDocuments.verify(logKey,
                "rights-ledger registry import report v1\n", signed)).isFalse();

        // when the same file is imported again, nothing is recorded twice
        Api.Response again = api.postCsvAsAdmin("/api/v1/registry-imports", csv.toString());
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("eventsRecorded").asLong()).isZero();
        assertThat(again.json().get("alreadyRecorded").asLong()).isEqualTo(51);
        // and the second report says where the first run recorded them
        assertThat(report.get("alreadyRecordedFirstLeaf").isNull()).isTrue();
        assertThat(again.json().get("alreadyRecordedFirstLeaf").asLong()).isEqualTo(report.get("firstLeaf").asLong());
        assertThat(again.json().get("alreadyRecordedLastLeaf").asLong()).isEqualTo(report.get("lastLeaf").asLong());
        assertThat(again.json().get("treeSize").asLong()).isEqualTo(size);
        currentCheckpoint();
        assertThat(verifier.verify().problems()).isEmpty();
    }

    @Test
    void a_row_corrected_after_its_import_is_refused_once_and_withdraws_nothing_but_a_withdrawal_added_is_recorded()
            throws Exception {
        // given a registry imported: two opt-outs in force, two withdrawn
        String channelChanged = anyNir();
        String withdrawalMoved = anyNir();
        String bothChanged = anyNir();
        String withdrawnSince = anyNir();
        String header = "nir,scope,registered_at,channel,withdrawn_at\n";
        Api.Response first = api.postCsvAsAdmin("/api/v1/registry-imports", header
                + channelChanged + ",GLOBAL,2022-01-01,POST,\n"
                + withdrawalMoved + ",GLOBAL,2022-02-01,POST,2023-01-01\n"
                + bothChanged + ",GLOBAL,2022-03-01,POST,2023-01-01\n"
                + withdrawnSince + ",GLOBAL,2022-04-01,POST,\n");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("eventsRecorded").asLong()).isEqualTo(6);

        // when a corrected export of it is imported: a channel changed (and a withdrawal added with it), a withdrawal
        // date moved, both changed, and a withdrawal added (the person withdrew in the old registry since)
        Api.Response corrected = api.postCsvAsAdmin("/api/v1/registry-imports", header
                + channelChanged + ",GLOBAL,2022-01-01,DESK,2023-01-01\n"
                + withdrawalMoved + ",GLOBAL,2022-02-01,POST,2023-06-01\n"
                + bothChanged + ",GLOBAL,2022-03-01,DESK,2023-06-01\n"
                + withdrawnSince + ",GLOBAL,2022-04-01,POST,2024-01-01\n");

        // then each changed row is refused once, by line, and only the added withdrawal is recorded
        assertThat(corrected.status()).as(corrected.body()).isEqualTo(200);
        JsonNode report = corrected.json();
        assertThat(report.get("rowsRefused").asLong()).isEqualTo(3);
        assertThat(StreamSupport.stream(report.get("errors").spliterator(), false).map(e -> e.get("line").asLong()))
                .containsExactlyInAnyOrder(2L, 3L, 4L);
        assertThat(report.get("optOutsRecorded").asLong()).isZero();
        assertThat(report.get("withdrawalsRecorded").asLong()).isEqualTo(1);
        long size = report.get("treeSize").asLong();
        awaitReadModel(size);
        // and the opt-out whose row changed its channel is still in force, the moved withdrawal kept its first date
        assertThat(withdrawnAt(channelChanged, size)).isNull();
        assertThat(withdrawnAt(withdrawalMoved, size)).isEqualTo("2022-12-31T23:00:00Z");
        assertThat(withdrawnAt(bothChanged, size)).isEqualTo("2022-12-31T23:00:00Z");
        assertThat(withdrawnAt(withdrawnSince, size)).isEqualTo("2023-12-31T23:00:00Z");
    }

    /** When the person's one opt-out was withdrawn, as the decision read model holds it at this tree size. */
    private String withdrawnAt(String nir, long treeSize) {
        var optOuts = decisions.optOuts(pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(nir)),
                treeSize);
        assertThat(optOuts).hasSize(1);
        return optOuts.get(0).withdrawnAt() == null ? null : optOuts.get(0).withdrawnAt().toString();
    }

    @Test
    void a_registry_of_several_batches_imported_while_opt_outs_are_recorded_live_keeps_each_persons_rows_in_order()
            throws Exception {
        // given a registry of 1,570 rows: 1,500 persons (three batches of 500, on PostgreSQL written two at a time),
        // every fifteenth withdrawn, then a second row (in force again) for 70 of those, the first of them in a batch
        // that may still be in flight
        StringBuilder csv = new StringBuilder("nir,scope,registered_at,channel,withdrawn_at\n");
        List<String> nirs = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            nirs.add(anyNir());
            csv.append(nirs.get(i)).append(",GLOBAL,2021-01-").append(10 + i % 19).append(",POST,")
                    .append(i % 15 == 0 ? "2021-06-01" : "").append('\n');
        }
        for (int i = 0; i < 1_050; i += 15) {
            csv.append(nirs.get(i)).append(",GLOBAL,2022-02-02,PHONE,\n");
        }
        // and a client recording opt-outs for other persons all through the import
        long sizeBefore = treeSize();
        long rewrittenBefore = groupCommitter.batchesWrittenAgain();
        List<String> live = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean importing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.CountDownLatch firstLive = new java.util.concurrent.CountDownLatch(1);
        ExecutorService client = Executors.newSingleThreadExecutor();
        Future<?> liveClient = client.submit(() -> {
            while (importing.get() || live.isEmpty()) {
                String nir = anyNir();
                Api.Response r = api.postAsAdmin("/api/v1/opt-outs", optOutBody(nir, "GLOBAL", null, key()));
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                live.add(nir);
                firstLive.countDown();
            }
            return null;
        });
        Api.Response imported;
        try {
            while (!firstLive.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (liveClient.isDone()) {
                    liveClient.get(); // the client failed before its first opt-out: its failure, not a hang
                }
            }

            // when it is imported
            imported = api.postCsvAsAdmin("/api/v1/registry-imports?source=large.csv", csv.toString());
        } finally {
            importing.set(false);
            client.shutdown();
        }
        liveClient.get();

        // then every row is recorded once, and every live opt-out too
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        JsonNode report = imported.json();
        assertThat(report.get("rows").asLong()).isEqualTo(1_570);
        assertThat(report.get("optOutsRecorded").asLong()).isEqualTo(1_570);
        assertThat(report.get("withdrawalsRecorded").asLong()).isEqualTo(100);
        assertThat(report.get("rowsRefused").asLong()).isZero();
        long size = treeSize();
        assertThat(size).isGreaterThanOrEqualTo(sizeBefore + 1_670 + live.size());
        awaitReadModel(size);
        // and each person's rows were applied in the file's order: withdrawn in 2021, in force again since 2022
        java.time.ZoneId paris = java.time.ZoneId.of("Europe/Paris");
        Instant withdrawn = java.time.LocalDate.of(2021, 6, 1).atStartOfDay(paris).toInstant();
        Instant again = java.time.LocalDate.of(2022, 2, 2).atStartOfDay(paris).toInstant();
        for (int i = 0; i < 1_500; i++) {
            Instant registered = java.time.LocalDate.of(2021, 1, 10 + i % 19).atStartOfDay(paris).toInstant();
            List<String> periods = decisions.optOuts(pseudonymiser.pseudonymise(
                    eu.ehds.rights.ledger.identity.Nir.parse(nirs.get(i))), size).stream()
                    .map(p -> p.registeredAt() + "/" + p.withdrawnAt()).toList();
            if (i % 15 != 0) {
                assertThat(periods).as("row " + i).containsExactly(registered + "/null");
            } else if (i < 1_050) {
                assertThat(periods).as("row " + i).containsExactlyInAnyOrder(registered + "/" + withdrawn,
                        again + "/null");
            } else {
                assertThat(periods).as("row " + i).containsExactly(registered + "/" + withdrawn);
            }
        }
        for (String nir : live) {
            assertThat(decisions.optOuts(pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(nir)),
                    size)).hasSize(1);
        }
        // and the log verifies
        currentCheckpoint();
        assertThat(verifier.verify().problems()).isEmpty();
        if (ledgerCommands.writesBatchesTogether()) { // batches that read before a live write read again
            assertThat(groupCommitter.batchesWrittenAgain()).isGreaterThan(rewrittenBefore);
        }
    }

    @Test
    void the_import_command_imports_a_file_with_its_refused_lines_and_report_beside_it() throws Exception {
        // given a registry file of three opt-outs and a row with a wrong NIR
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("registry-");
        java.nio.file.Path file = dir.resolve("registry.csv");
        String wrong = anyNir().substring(0, 13) + "00";
        java.nio.file.Files.writeString(file, "nir,scope,registered_at,channel,withdrawn_at\n" + anyNir()
                + ",GLOBAL,2020-02-03,PHONE,\n" + anyNir() + ",PURPOSE:EDUCATION,2021-05-06,DESK,2022-01-01\n"
                + wrong + ",GLOBAL,2020-02-03,POST,\n" + anyNir() + ",GLOBAL,2019-12-31T23:00:00Z,POST,\n");
        long size = treeSize();
        String[] args = {"import-opt-outs", "--file=" + file,
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + environment.getProperty("spring.datasource.username", ""),
                "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                "--ledger.data-dir=" + environment.getProperty("ledger.data-dir")};
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        // when the command runs
        int exit = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));

        // then it records four events, names line 4 in the errors file (not its NIR) and writes the signed report
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("4 rows: 3 opt-outs and 1 withdrawals recorded, 0 already recorded, 1 refused");
        assertThat(printed).contains("written at leaves " + size + " to " + (size + 3) + ", input sha256");
        String errors = java.nio.file.Files.readString(dir.resolve("registry.csv.errors.csv"));
        assertThat(errors).startsWith("line,reason\n4,\"nir: ").doesNotContain(wrong);
        String firstReport = java.nio.file.Files.readString(dir.resolve("registry.csv.report.json"));
        JsonNode report = api.parse(firstReport);
        assertThat(report.get("eventsRecorded").asLong()).isEqualTo(4);
        assertThat(report.get("firstLeaf").asLong()).isEqualTo(size);
        assertThat(report.get("signature").get("value").asString()).isNotEmpty();
        assertThat(treeSize()).isEqualTo(size + 4);

        // and run again, it records nothing
        out.reset();
        assertThat(Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("0 opt-outs and 0 withdrawals recorded, 4 already "
                + "recorded, 1 refused");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no leaf written, already recorded at leaves "
                + size + " to " + (size + 3) + ",");
        assertThat(treeSize()).isEqualTo(size + 4);
        // beside the first run's signed report, which it leaves as it was
        assertThat(java.nio.file.Files.readString(dir.resolve("registry.csv.report.json")))
                .isEqualTo(firstReport);
        JsonNode second = api.parse(java.nio.file.Files.readString(dir.resolve("registry.csv.report-2.json")));
        assertThat(second.get("alreadyRecorded").asLong()).isEqualTo(4);
        assertThat(java.nio.file.Files.readString(dir.resolve("registry.csv.errors-2.csv"))).startsWith("line,reason\n4,");

        // and a report named on the command line is not written over either
        out.reset();
        String[] named = java.util.Arrays.copyOf(args, args.length + 1);
        named[args.length] = "--report=" + dir.resolve("registry.csv.report.json");
        assertThat(Cli.run(named, new PrintStream(out, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("exists");
        assertThat(java.nio.file.Files.readString(dir.resolve("registry.csv.report.json"))).isEqualTo(firstReport);
    }

    @Test
    void a_registry_without_its_header_is_refused_whole_and_staff_only_may_import() {
        String rows = anyNir() + ",GLOBAL,2022-01-01,POST,\n";
        long size = treeSize();
        Api.Response refused = api.postCsvAsAdmin("/api/v1/registry-imports", rows);
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("nir,scope,registered_at,channel,withdrawn_at");
        assertThat(api.post("/api/v1/registry-imports", "nir,scope,registered_at,channel,withdrawn_at\n" + rows,
                "auditor", AUDITOR_PASSWORD).status()).isEqualTo(403);
        assertThat(treeSize()).isEqualTo(size);
    }

    @Autowired
    org.axonframework.eventsourcing.eventstore.EventStorageEngine storageEngine;

    @Test
    void a_rolled_back_batch_leaves_no_gap_for_the_readers_to_carry() throws Exception {
        // given 500 event rows inserted and rolled back, as by a batch the database failed: their indexes are gone
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO domain_event_entry (event_identifier, "
                    + "aggregate_identifier, sequence_number, time_stamp, payload_type, payload) "
                    + "VALUES (?, ?, 0, '2026-01-01T00:00:00Z', 'rolled.Back', ?)")) {
                for (int i = 0; i < 500; i++) {
                    insert.setString(1, "rolled-back-" + java.util.UUID.randomUUID());
                    insert.setString(2, "rolled-back-" + java.util.UUID.randomUUID());
                    insert.setBytes(3, new byte[] {'{', '}'});
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.rollback();
        }

        // when opt-outs are recorded after them
        for (int i = 0; i < 2; i++) {
            assertThat(api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, key())).status())
                    .isEqualTo(201);
        }
        Api.Response recorded = api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, key()));
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);

        // then the tokens the readers get past the first carry none of those gaps (no append can fill one later)
        String eventId = eventIdAt(recorded.json().get("leafIndex").asLong());
        org.axonframework.eventhandling.TrackedEventMessage<?> found;
        try (java.util.stream.Stream<? extends org.axonframework.eventhandling.TrackedEventMessage<?>> events =
                     storageEngine.readEvents(null, false)) {
            found = events.filter(e -> e.getIdentifier().equals(eventId)).findFirst().orElseThrow();
        }
        assertThat(((org.axonframework.eventhandling.GapAwareTrackingToken) found.trackingToken()).getGaps())
                .hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void a_registry_holding_each_persons_rows_together_applies_them_in_the_files_order() throws Exception {
        // given 400 persons with three rows each, one after the other: withdrawn, withdrawn again, then in force
        // (each row refused if applied before the one above it), some persons' rows across the batches' edges
        List<String> nirs = new ArrayList<>();
        StringBuilder csv = new StringBuilder("nir,scope,registered_at,channel,withdrawn_at\n");
        for (int i = 0; i < 400; i++) {
            nirs.add(anyNir());
            csv.append(nirs.get(i)).append(",GLOBAL,2019-01-01,POST,2019-06-01\n")
                    .append(nirs.get(i)).append(",GLOBAL,2020-01-01,DESK,2020-06-01\n")
                    .append(nirs.get(i)).append(",GLOBAL,2021-01-01,PHONE,\n");
        }

        // when it is imported
        Api.Response imported = api.postCsvAsAdmin("/api/v1/registry-imports?source=together.csv", csv.toString());

        // then every row is recorded, none refused
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        JsonNode report = imported.json();
        assertThat(report.get("optOutsRecorded").asLong()).isEqualTo(1_200);
        assertThat(report.get("withdrawalsRecorded").asLong()).isEqualTo(800);
        assertThat(report.get("rowsRefused").asLong()).as(report.get("errors").toString()).isZero();
        // and each person's opt-outs are as the file has them
        long size = treeSize();
        awaitReadModel(size);
        java.time.ZoneId paris = java.time.ZoneId.of("Europe/Paris");
        java.util.function.Function<String, Instant> day = d -> java.time.LocalDate.parse(d).atStartOfDay(paris)
                .toInstant();
        for (String nir : nirs) {
            assertThat(decisions.optOuts(pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(nir)),
                    size).stream().map(p -> p.registeredAt() + "/" + p.withdrawnAt()).toList())
                    .containsExactlyInAnyOrder(day.apply("2019-01-01") + "/" + day.apply("2019-06-01"),
                            day.apply("2020-01-01") + "/" + day.apply("2020-06-01"),
                            day.apply("2021-01-01") + "/null");
        }
    }

    @Test
    void a_registry_with_a_quote_left_open_is_stopped_at_its_line_and_only_the_rows_before_it_are_recorded() {
        // given a file whose fourth line opens a quote it never closes, with good rows after it
        List<String> nirs = List.of(anyNir(), anyNir(), anyNir(), anyNir(), anyNir());
        String csv = "nir,scope,registered_at,channel,withdrawn_at\n" + nirs.get(0) + ",GLOBAL,2022-01-01,POST,\n"
                + nirs.get(1) + ",GLOBAL,2022-01-01,POST,\n\"" + nirs.get(2) + ",GLOBAL,2022-01-01,POST,\n"
                + nirs.get(3) + ",GLOBAL,2022-01-01,POST,\n" + nirs.get(4) + ",GLOBAL,2022-01-01,POST,\n";
        long size = treeSize();

        // when it is imported
        Api.Response r = api.postCsvAsAdmin("/api/v1/registry-imports?source=open-quote.csv", csv);

        // then the import stops there, naming the line and none of its values or the rows' after it
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("from line 4").contains("not closed");
        nirs.forEach(nir -> assertThat(r.body()).doesNotContain(nir));
        // and the two rows before it are recorded, none from it on
        assertThat(treeSize()).isEqualTo(size + 2);
    }

    @Test
    void the_verify_command_exits_non_zero_and_names_the_first_bad_leaf() throws Exception {
        Api.Response recorded = api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, key()));
        long leaf = recorded.json().get("leafIndex").asLong();
        currentCheckpoint();
        String[] args = {"verify", "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + environment.getProperty("spring.datasource.username", ""),
                "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                "--ledger.data-dir=" + environment.getProperty("ledger.data-dir")};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("OK");

        String eventId = eventIdAt(leaf);
        byte[] original = payloadOf(eventId);
        try {
            updatePayload(eventId, new String(original, StandardCharsets.UTF_8).replace("POST", "DESK")
                    .getBytes(StandardCharsets.UTF_8));
            out.reset();
            assertThat(Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8))).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("first bad leaf is " + leaf);
        } finally {
            updatePayload(eventId, original);
        }
    }

    private String eventIdAt(long leaf) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT event_identifier FROM log_leaf WHERE leaf_index = ?")) {
            q.setLong(1, leaf);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private byte[] payloadOf(String eventId) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT payload FROM domain_event_entry WHERE event_identifier = ?")) {
            q.setString(1, eventId);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private void updatePayload(String eventId, byte[] payload) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement u = c.prepareStatement(
                     "UPDATE domain_event_entry SET payload = ? WHERE event_identifier = ?")) {
            u.setBytes(1, payload);
            u.setString(2, eventId);
            assertThat(u.executeUpdate()).isEqualTo(1);
        }
    }

    private Checkpoint currentCheckpoint() {
        return Checkpoint.parse(api.get("/api/v1/log/checkpoint").body().split("\n\n")[0] + "\n");
    }

    // --- StaffAccess ---

    @Test
    void staff_endpoints_require_the_admin_role() {
        String body = optOutBody(anyNir(), "GLOBAL", null, key());
        assertThat(api.post("/api/v1/opt-outs", body, null, null).status()).isEqualTo(401);
        assertThat(api.post("/api/v1/opt-outs", body, "admin", "wrong").status()).isEqualTo(401);
        assertThat(api.post("/api/v1/opt-outs", body, "auditor", AUDITOR_PASSWORD).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/opt-outs", body, "admin", ADMIN_PASSWORD).status()).isEqualTo(201);
    }

    @Test
    void the_api_is_documented_in_openapi() {
        JsonNode doc = api.get("/v3/api-docs").json();
        List<String> paths = StreamSupport.stream(doc.get("paths").propertyNames().spliterator(), false).toList();
        assertThat(paths).contains("/api/v1/opt-outs", "/api/v1/opt-outs/withdrawals", "/api/v1/projects",
                "/api/v1/projects/{projectId}/permit", "/api/v1/log/checkpoint", "/api/v1/log/proof/inclusion",
                "/api/v1/log/proof/consistency", "/api/v1/log/entries", "/api/v1/log/public-key");
    }

    // --- Decisions ---

    @Test
    void decisions_apply_art_71_3_and_can_be_asked_as_of_a_past_tree_size() throws Exception {
        String past = permittedProject("P-past", "2026-01-01T00:00:00Z");
        String future = permittedProject("P-future", "2099-01-01T00:00:00Z");
        String optedOut = anyNir();
        long before = treeSize();
        Api.Response optOut = api.postAsAdmin("/api/v1/opt-outs", optOutBody(optedOut, "GLOBAL", null, key()));
        long after = optOut.json().get("treeSize").asLong();
        awaitReadModel(after);

        // opted out after the permit of "past": Art. 71(3) keeps using the data under that permit
        assertThat(decision(optedOut, past, null, null).get("reason").asString()).isEqualTo("OPT_OUT_AFTER_PERMIT");
        assertThat(decision(optedOut, past, null, null).get("allowed").asBoolean()).isTrue();
        // opted out before the permit of "future": excluded from extracts under it
        JsonNode excluded = decision(optedOut, future, "2099-06-01T00:00:00Z", null);
        assertThat(excluded.get("allowed").asBoolean()).isFalse();
        assertThat(excluded.get("reason").asString()).isEqualTo("OPTED_OUT_GLOBAL");
        assertThat(excluded.get("rule").asString()).isEqualTo("EHDS_ART_71_3");
        assertThat(decision(optedOut, future, null, null).get("reason").asString()).isEqualTo("PROJECT_NOT_PERMITTED");
        // as the log stood before the opt-out
        assertThat(decision(optedOut, future, "2099-06-01T00:00:00Z", before).get("reason").asString())
                .isEqualTo("NO_OPT_OUT");
        assertThat(decision(anyNir(), future, "2099-06-01T00:00:00Z", null).get("reason").asString())
                .isEqualTo("NO_OPT_OUT");
    }

    @Test
    void the_read_model_is_rebuilt_from_the_event_store_on_demand_and_gives_the_same_answers() throws Exception {
        String project = permittedProject("P", "2099-01-01T00:00:00Z");
        String optedOut = anyNir();
        long size = optOutAndAwait(optedOut, "GLOBAL", null);
        JsonNode before = decision(optedOut, project, "2099-06-01T00:00:00Z", null);

        Api.Response rebuilt = api.post("/api/v1/decisions/read-model/rebuild", "", "admin", ADMIN_PASSWORD);
        assertThat(rebuilt.status()).as(rebuilt.body()).isEqualTo(200);
        assertThat(api.post("/api/v1/decisions/read-model/rebuild", "", "auditor", AUDITOR_PASSWORD).status())
                .isEqualTo(403);
        awaitReadModel(size);
        JsonNode after = decision(optedOut, project, "2099-06-01T00:00:00Z", null);
        assertThat(after.get("reason").asString()).isEqualTo(before.get("reason").asString())
                .isEqualTo("OPTED_OUT_GLOBAL");

        // and the processor carries on after the events the rebuild read, neither skipping nor repeating any
        String later = anyNir();
        optOutAndAwait(later, "GLOBAL", null);
        assertThat(decision(later, project, "2099-06-01T00:00:00Z", null).get("reason").asString())
                .isEqualTo("OPTED_OUT_GLOBAL");
    }

    @Test
    void a_revoked_api_key_stops_working_at_once() {
        JsonNode issued = api.postAsAdmin("/api/v1/data-holders/CNAM/api-keys", "{\"label\":\"to revoke\"}").json();
        String apiKey = issued.get("apiKey").asString();
        String body = "{\"person\":\"" + anyNir() + "\",\"projectId\":\"prj-none\"}";
        // authenticated: an unknown project names no holder, so it is refused as another holder's project would be
        assertThat(api.postJsonWithApiKey("/api/v1/decisions", body, apiKey).status()).isEqualTo(403);
        Api.Response revoked = api.send("DELETE", "/api/v1/data-holders/CNAM/api-keys/" + issued.get("keyId").asString(),
                "admin", ADMIN_PASSWORD);
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(api.postJsonWithApiKey("/api/v1/decisions", body, apiKey).status()).isEqualTo(401);
        assertThat(api.send("DELETE", "/api/v1/data-holders/Other/api-keys/" + issued.get("keyId").asString(),
                "admin", ADMIN_PASSWORD).status()).isEqualTo(404);
    }

    @Test
    void batch_decisions_answer_every_row_and_report_bad_rows_without_failing_the_batch() throws Exception {
        String project = permittedProject("P", "2099-01-01T00:00:00Z");
        String optedOut = anyNir();
        optOutAndAwait(optedOut, "PROJECT", project);
        Api.Response r = api.post("/api/v1/decisions/batch", "{\"projectId\":\"" + project + "\",\"asOf\":"
                + "\"2099-02-01T00:00:00Z\",\"persons\":[\"" + optedOut + "\",\"" + anyNir()
                + "\",\"123\"]}", "auditor", AUDITOR_PASSWORD);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode rows = r.json().get("decisions");
        assertThat(rows.get(0).get("reason").asString()).isEqualTo("OPTED_OUT_PROJECT");
        assertThat(rows.get(1).get("allowed").asBoolean()).isTrue();
        assertThat(rows.get(2).get("error").asString()).contains("invalid NIR").doesNotContain("123");
        assertThat(r.json().get("excluded").asLong()).isEqualTo(1);
        assertThat(r.json().get("errors").asLong()).isEqualTo(1);
    }

    @Test
    void decisions_refuse_unknown_projects_and_future_tree_sizes() {
        assertThat(api.post("/api/v1/decisions", "{\"person\":\"" + anyNir() + "\",\"projectId\":\"prj-x\"}",
                "admin", ADMIN_PASSWORD).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/decisions", "{\"person\":\"" + anyNir() + "\",\"projectId\":\"prj-x\","
                + "\"treeSize\":999999999}", "admin", ADMIN_PASSWORD).status()).isEqualTo(400); // beyond the log
        assertThat(api.post("/api/v1/decisions", "{}", null, null).status()).isEqualTo(401);
    }

    private JsonNode decision(String nir, String project, String asOf, Long treeSize) {
        String body = "{\"person\":\"" + nir + "\",\"projectId\":\"" + project + "\""
                + (asOf == null ? "" : ",\"asOf\":\"" + asOf + "\"")
                + (treeSize == null ? "" : ",\"treeSize\":" + treeSize) + "}";
        Api.Response r = api.post("/api/v1/decisions", body, "auditor", AUDITOR_PASSWORD);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private void awaitReadModel(long treeSize) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (api.get("/api/v1/decisions/status", "auditor", AUDITOR_PASSWORD).json().get("treeSize").asLong()
                < treeSize) {
            assertThat(System.nanoTime()).as("read model caught up in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    // --- Extract filtering ---

    @Test
    void a_data_holder_filters_an_extract_and_gets_a_signed_certificate_and_a_recorded_usage() throws Exception {
        Instant permitAt = Instant.now().plusSeconds(2);
        String project = permittedProject("P-filter", permitAt.toString());
        String optedOut = anyNir();
        String kept = anyNir();
        optOutAndAwait(optedOut, "GLOBAL", null);
        Api.Response issued = api.postAsAdmin("/api/v1/data-holders/CNAM/api-keys", "{\"label\":\"extracts\"}");
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        String apiKey = issued.json().get("apiKey").asString();
        while (Instant.now().isBefore(permitAt.plusMillis(100))) {
            Thread.sleep(50);
        }

        String file = "nir\n" + optedOut + "\n" + kept + "\nnot-a-nir\n";
        Api.Response filtered = api.postWithApiKey("/api/v1/extracts/filter?projectId=" + project + "&dataset=DCIR",
                file, apiKey);
        assertThat(filtered.status()).as(filtered.body()).isEqualTo(200);
        assertThat(filtered.body()).isEqualTo("nir\n" + kept + "\n");
        String filterId = filtered.header("Filter-Id");

        Api.Response certificate = api.getWithApiKey("/api/v1/extracts/" + filterId + "/certificate", apiKey);
        assertThat(certificate.status()).as(certificate.body()).isEqualTo(200);
        JsonNode cert = certificate.json();
        assertThat(cert.get("counts").get("allowed").asLong()).isEqualTo(1);
        assertThat(cert.get("counts").get("excluded").asLong()).isEqualTo(1);
        assertThat(cert.get("counts").get("errors").asLong()).isEqualTo(1);
        assertThat(cert.get("permitId").asString()).isEqualTo("P-filter");
        assertThat(cert.get("inputSha256").asString()).isEqualTo(sha256(file.getBytes(StandardCharsets.UTF_8)));
        assertThat(cert.get("outputSha256").asString()).isEqualTo(sha256(filtered.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(certificateSignatureHolds(certificate.body())).isTrue();
        assertThat(certificateSignatureHolds(certificate.body().replace("\"allowed\":1", "\"allowed\":2"))).isFalse();

        long usageLeaf = cert.get("usage").get("leafIndex").asLong();
        JsonNode entry = api.get("/api/v1/log/entries?start=" + usageLeaf + "&end=" + (usageLeaf + 1), "auditor",
                AUDITOR_PASSWORD).json().get(0).get("event");
        assertThat(entry.get("type").asString()).isEqualTo("DataUsageRecorded");
        assertThat(entry.get("payload").get("cohortCommitment").asString())
                .isEqualTo(cert.get("cohortCommitment").asString());

        assertThat(api.getWithApiKey("/api/v1/extracts/" + filterId + "/errors", apiKey).body()).contains("4,");

        // who used my data: the kept person's usages include this delivery, the opted-out person's do not
        awaitUsage(cert.get("usage").get("usageId").asString());
        assertThat(usagesOf(kept)).contains(cert.get("usage").get("usageId").asString());
        assertThat(usagesOf(optedOut)).doesNotContain(cert.get("usage").get("usageId").asString());
        String otherKey = api.postAsAdmin("/api/v1/data-holders/Other/api-keys", "{}").json().get("apiKey").asString();
        assertThat(api.getWithApiKey("/api/v1/extracts/" + filterId + "/certificate", otherKey).status()).isEqualTo(404);
        assertThat(api.postWithApiKey("/api/v1/extracts/filter?projectId=" + project + "&dataset=DCIR", file, otherKey)
                .status()).as("a holder the sheet does not name").isEqualTo(403);
        assertThat(api.postWithApiKey("/api/v1/extracts/filter?projectId=" + project + "&dataset=DCIR", file,
                "rlk_wrong").status()).isEqualTo(401);
        assertThat(api.post("/api/v1/extracts/filter?projectId=" + project + "&dataset=DCIR", file, null, null)
                .status()).isEqualTo(401);
    }

    @Test
    void the_filter_command_filters_offline_against_a_signed_snapshot_and_gets_the_delivery_certified()
            throws Exception {
        Instant permitAt = Instant.now().plusSeconds(2);
        String project = permittedProject("P-cli", permitAt.toString());
        String optedOut = anyNir();
        optOutAndAwait(optedOut, "PROJECT", project);
        String apiKey = api.postAsAdmin("/api/v1/data-holders/AP-HP/api-keys", "{}").json().get("apiKey").asString();
        while (Instant.now().isBefore(permitAt.plusMillis(100))) {
            Thread.sleep(50);
        }
        String excludedPseudonym = pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(optedOut));
        String keptPseudonym = pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(anyNir()));
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("filter-cli");
        java.nio.file.Path in = dir.resolve("extract.csv");
        java.nio.file.Path out = dir.resolve("allowed.csv");
        java.nio.file.Files.writeString(in, "id,pseudonym\n1," + excludedPseudonym + "\n2," + keptPseudonym + "\n3,oops\n");

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int exit = Cli.run(new String[] {"filter", "--server=http://127.0.0.1:" + port, "--api-key=" + apiKey,
                "--project=" + project, "--dataset=PMSI", "--column=pseudonym", "--in=" + in, "--out=" + out},
                new PrintStream(console, true, StandardCharsets.UTF_8));
        assertThat(exit).as(console.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(java.nio.file.Files.readString(out)).isEqualTo("id,pseudonym\r\n2," + keptPseudonym + "\r\n");
        assertThat(java.nio.file.Files.readString(dir.resolve("allowed.csv.errors.csv"))).contains("4,");
        JsonNode certificate = api.parse(java.nio.file.Files.readString(dir.resolve("allowed.csv.certificate.json")));
        assertThat(certificate.get("counts").get("excluded").asLong()).isEqualTo(1);
        assertThat(certificate.get("outputSha256").asString()).isEqualTo(sha256(java.nio.file.Files.readAllBytes(out)));
        assertThat(certificate.get("dataHolder").asString()).isEqualTo("AP-HP");
        assertThat(certificateSignatureHolds(java.nio.file.Files.readString(dir.resolve("allowed.csv.certificate.json"))))
                .isTrue();
        // the cohort was lodged: the delivered person can see the usage, the opted-out one cannot
        String usageId = certificate.get("usage").get("usageId").asString();
        awaitUsage(usageId);
        assertThat(usagesOf(keptPseudonym)).contains(usageId);
        assertThat(usagesOf(excludedPseudonym)).doesNotContain(usageId);
    }

    private List<String> usagesOf(String nir) {
        Api.Response r = api.post("/api/v1/transparency/usages", "{\"person\":\"" + nir + "\"}", "auditor",
                AUDITOR_PASSWORD);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.json().get("usages").forEach(u -> ids.add(u.get("usageId").asString()));
        return ids;
    }

    private void awaitUsage(String usageId) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!usageRegistered(usageId)) {
            assertThat(System.nanoTime()).as("usage register caught up in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Autowired
    eu.ehds.rights.projections.usage.UsageProjection usageRegister;

    private boolean usageRegistered(String usageId) {
        return usageRegister.all().stream().anyMatch(u -> u.usageId().equals(usageId));
    }

    private boolean certificateSignatureHolds(String certificateJson) throws Exception {
        tools.jackson.databind.node.ObjectNode cert = (tools.jackson.databind.node.ObjectNode) api.parse(certificateJson);
        JsonNode signature = cert.remove("signature");
        byte[] canonical = eu.ehds.rights.ledger.log.CanonicalJson.write(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(cert.toString()));
        byte[] context = "rights-ledger filter certificate v1\n".getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[context.length + canonical.length];
        System.arraycopy(context, 0, message, 0, context.length);
        System.arraycopy(canonical, 0, message, context.length, canonical.length);
        JsonNode key = api.get("/api/v1/log/public-key").json();
        return new NoteVerifier(key.get("origin").asString(), Base64.getDecoder().decode(key.get("publicKey").asString()))
                .verifyBytes(message, Base64.getDecoder().decode(signature.get("value").asString()));
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(eu.ehds.rights.ledger.crypto.Sha256.of(bytes));
    }

    // --- Privacy ---

    @Test
    void no_nir_reaches_the_event_store_or_the_log() throws Exception {
        String nir = anyNir();
        api.postAsAdmin("/api/v1/opt-outs", optOutBody(nir, "GLOBAL", null, key()));
        api.postAsAdmin("/api/v1/notification-objections", "{\"person\":\"" + nir + "\",\"channel\":\"PHONE\","
                + "\"idempotencyKey\":\"" + key() + "\"}");
        String digits = nir.substring(0, 13);
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT payload, meta_data FROM domain_event_entry");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                assertThat(new String(rs.getBytes(1), StandardCharsets.UTF_8)).doesNotContain(digits);
                assertThat(new String(rs.getBytes(2), StandardCharsets.UTF_8)).doesNotContain(digits);
            }
        }
        long size = treeSize();
        for (long start = 0; start < size; start += 1_000) { // page by page (earlier tests recorded many entries)
            Api.Response page = api.get("/api/v1/log/entries?start=" + start + "&end=" + Math.min(size, start + 1_000),
                    "auditor", AUDITOR_PASSWORD);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).doesNotContain(digits);
        }
    }

    @Test
    void a_stored_event_keeps_only_its_leaf_index_as_metadata() throws Exception {
        // given an opt-out recorded with its key (the key and the request's fingerprint go to its idempotency record)
        long leaf = api.postAsAdmin("/api/v1/opt-outs", optOutBody(anyNir(), "GLOBAL", null, key()))
                .json().get("leafIndex").asLong();

        // when its stored event is read
        String metaData;
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT e.meta_data FROM domain_event_entry e "
                     + "JOIN log_leaf l ON l.event_identifier = e.event_identifier WHERE l.leaf_index = ?")) {
            q.setLong(1, leaf);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                metaData = new String(rs.getBytes(1), StandardCharsets.UTF_8);
            }
        }

        // then its metadata is its leaf index alone: no copy of what the idempotency record holds
        assertThat(metaData).isEqualTo("{\"leafIndex\":" + leaf + "}");
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static List<byte[]> hexList(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(n -> out.add(hex(n.asString())));
        return out;
    }
}
