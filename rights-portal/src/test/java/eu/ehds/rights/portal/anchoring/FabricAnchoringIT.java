package eu.ehds.rights.portal.anchoring;

import static eu.ehds.rights.portal.support.Nirs.anyNir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.ehds.rights.ledger.checkpoint.Checkpoint;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.log.MerkleHashes;
import eu.ehds.rights.ledger.log.MerkleTree;
import eu.ehds.rights.portal.RightsPortalApplication;
import eu.ehds.rights.portal.cli.Cli;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.FabricNetwork;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The ledger anchoring on the real Fabric network of {@code fabric-network/} (two organisations, endorsement by
 * both), read back through {@code qscc} and verified as an auditor would. Each test uses a log origin of its own,
 * so tests and earlier runs on the same network never see each other's anchors.
 */
class FabricAnchoringIT {

    private static Path connection;

    @BeforeAll
    static void network() {
        connection = FabricNetwork.up();
    }

    /** A ledger on its embedded database, anchoring every second or every 3 entries. */
    private record Ledger(ConfigurableApplicationContext context, Api api, int port) implements AutoCloseable {

        static Ledger start(Path dataDir, String origin, String... more) {
            List<String> args = new ArrayList<>(settings(dataDir, origin));
            args.addAll(List.of("--server.port=0", "--ledger.anchoring.fabric-connection=" + connection,
                    "--ledger.anchoring.interval=1s", "--ledger.anchoring.events=3",
                    "--ledger.anchoring.retry-initial=200ms", "--ledger.anchoring.retry-max=2s"));
            args.addAll(List.of(more));
            ConfigurableApplicationContext context = new SpringApplicationBuilder(RightsPortalApplication.class)
                    .logStartupInfo(false).run(args.toArray(String[]::new));
            int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            return new Ledger(context, new Api(port), port);
        }

        /** The application's settings of a ledger on its embedded database, for the server and its commands. */
        static List<String> settings(Path dataDir, String origin) {
            return List.of("--ledger.data-dir=" + dataDir,
                    "--spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("ledger"),
                    "--ledger.admin-password=" + Api.ADMIN_PASSWORD,
                    "--ledger.auditor-password=" + Api.AUDITOR_PASSWORD, "--ledger.origin=" + origin);
        }

        long optOut() {
            Api.Response response = api.postAsAdmin("/api/v1/opt-outs", "{\"person\":\"" + anyNir()
                    + "\",\"scope\":{\"type\":\"GLOBAL\"},\"channel\":\"POST\",\"idempotencyKey\":\"it-"
                    + UUID.randomUUID() + "\"}");
            assertThat(response.status()).as(response.body()).isEqualTo(201);
            return response.json().get("leafIndex").asLong();
        }

        JsonNode status() {
            return api.get("/api/v1/anchors/status").json();
        }

        /** Waits until the latest anchor covers a tree size; returns the status then. */
        JsonNode awaitAnchored(long treeSize, Duration timeout) throws InterruptedException {
            return await(s -> s.get("latestTreeSize").asLong(0) >= treeSize, timeout,
                    "an anchor covering tree size " + treeSize);
        }

        JsonNode await(Predicate<JsonNode> condition, Duration timeout, String what) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            JsonNode status = status();
            while (!condition.test(status)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("waited " + timeout + " for " + what + "; status: " + status);
                }
                Thread.sleep(200);
                status = status();
            }
            return status;
        }

        JsonNode verifyEntry(long leafIndex) {
            Api.Response response = api.get("/api/v1/anchors/verify?leafIndex=" + leafIndex, "auditor",
                    Api.AUDITOR_PASSWORD);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            return response.json();
        }

        List<JsonNode> anchoredEvents(long treeSize) {
            List<JsonNode> out = new ArrayList<>();
            api.get("/api/v1/log/entries?start=0&end=" + treeSize, "auditor", Api.AUDITOR_PASSWORD).json()
                    .forEach(entry -> {
                        if ("CheckpointAnchored".equals(entry.get("event").get("type").asString())) {
                            out.add(entry);
                        }
                    });
            return out;
        }

        @Override
        public void close() {
            context.close();
        }
    }

    /**
     * What was issued under one key: an entry, its receipt and the checkpoint the receipt holds, a data holder's
     * opt-out snapshot and filter certificate.
     */
    private record Issued(String key, long leaf, String receipt, long treeSize, String checkpoint, byte[] snapshot,
                          String certificate) {
    }

    /** A command of the jar, run in this JVM: its exit code and what it printed. */
    private record Run(int exit, String printed) {
        static Run of(List<String> args) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            int exit = Cli.run(args.toArray(String[]::new), new PrintStream(printed, true, StandardCharsets.UTF_8));
            return new Run(exit, printed.toString(StandardCharsets.UTF_8));
        }
    }

    private static Issued issue(Ledger ledger) throws Exception {
        Api api = ledger.api();
        Api.Response project = api.postAsAdmin("/api/v1/projects", "{\"title\":\"Rotation\",\"controller\":"
                + "\"Inserm\",\"purposeCategory\":\"SCIENTIFIC_RESEARCH\",\"dataHolders\":[\"CNAM\"],"
                + "\"datasets\":[\"DCIR\"],\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2027-12-31\","
                + "\"idempotencyKey\":\"it-" + UUID.randomUUID() + "\"}");
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        String projectId = project.json().get("projectId").asString();
        java.time.Instant permitAt = java.time.Instant.now().plusSeconds(1);
        Api.Response permit = api.postAsAdmin("/api/v1/projects/" + projectId + "/permit", "{\"permitId\":\"P-"
                + UUID.randomUUID() + "\",\"approvedAt\":\"" + permitAt + "\",\"idempotencyKey\":\"it-"
                + UUID.randomUUID() + "\"}");
        assertThat(permit.status()).as(permit.body()).isEqualTo(201);
        String apiKey = api.postAsAdmin("/api/v1/data-holders/CNAM/api-keys", "{}").json().get("apiKey").asString();
        Thread.sleep(Math.max(0, Duration.between(java.time.Instant.now(), permitAt).toMillis() + 200));
        java.net.http.HttpResponse<byte[]> snapshot = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + ledger.port()
                        + "/api/v1/extracts/snapshot?projectId=" + projectId + "&dataset=DCIR"))
                        .header("X-Api-Key", apiKey).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(snapshot.statusCode()).isEqualTo(200);
        Api.Response filtered = api.postWithApiKey("/api/v1/extracts/filter?projectId=" + projectId + "&dataset=DCIR",
                "nir\n" + anyNir() + "\n", apiKey);
        assertThat(filtered.status()).as(filtered.body()).isEqualTo(200);
        String certificate = api.getWithApiKey("/api/v1/extracts/" + filtered.header("Filter-Id") + "/certificate",
                apiKey).body();

        long leaf = ledger.optOut();
        JsonNode anchored = ledger.awaitAnchored(leaf + 1, Duration.ofSeconds(90));
        assertThat(anchored.get("forked").asBoolean()).as(anchored.toString()).isFalse();
        eu.ehds.rights.portal.receipt.Receipts receipts = ledger.context()
                .getBean(eu.ehds.rights.portal.receipt.Receipts.class);
        String receipt = receipts.toJson(receipts.issue(leaf));
        JsonNode parsed = ledger.api().parse(receipt);
        return new Issued(ledger.api().get("/api/v1/log/public-key").json().get("publicKey").asString(), leaf, receipt,
                parsed.get("inclusionProof").get("treeSize").asLong(), parsed.get("checkpoint").asString(),
                snapshot.body(), certificate);
    }

    @Test
    void given_two_key_rotations_then_everything_issued_under_each_of_the_three_keys_still_verifies()
            throws Exception {
        Path dir = Files.createTempDirectory("rotation-it-");
        String origin = newOrigin();
        List<String> settings = Ledger.settings(dir, origin);
        List<Issued> issued = new ArrayList<>();

        // key 1, generated into the data directory at the first start
        try (Ledger ledger = Ledger.start(dir, origin)) {
            issued.add(issue(ledger));
        }
        String key1Seed = Files.readString(dir.resolve("checkpoint-signing.key")).strip();
        // rotation 1: every node stopped, the new key generated into the data directory in place of the old one
        List<String> rotate = new ArrayList<>(List.of("signing-key", "rotate"));
        rotate.addAll(settings);
        Run first = Run.of(rotate);
        assertThat(first.exit()).as(first.printed()).isZero();
        assertThat(first.printed()).contains("rotated: key " + issued.get(0).key());
        String key2Seed = Files.readString(dir.resolve("checkpoint-signing.key")).strip();
        // as if the rotation had been interrupted after recording it, before the shared settings named the new key:
        // the retired key is refused (naming where the new key waits), the new key starts and brings them up to date
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("ledger"),
                "sa", ""); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE shared_setting SET fingerprint = '" + java.util.HexFormat.of().formatHex(
                    java.util.Base64.getDecoder().decode(issued.get(0).key())) + "' WHERE name = 'checkpoint signing key'");
        }
        assertThatThrownBy(() -> Ledger.start(dir, origin, "--ledger.signing-key=" + key1Seed))
                .hasStackTraceContaining("signing key was retired").hasStackTraceContaining("checkpoint-signing.key.next");
        try (Ledger ledger = Ledger.start(dir, origin)) {
            JsonNode keys = ledger.api().get("/api/v1/log/keys").json().get("keys");
            assertThat(keys).hasSize(2);
            long rotationLeaf = keys.get(0).get("lastTreeSize").asLong();
            // the new key's first checkpoint was issued by the rotation itself, over the rotation's own entry
            String firstUnderKey2 = ledger.api().get("/api/v1/log/checkpoint?treeSize=" + (rotationLeaf + 1)).body();
            assertThat(firstUnderKey2).contains("\n" + (rotationLeaf + 1) + "\n");
            assertThat(ledger.context().getBean(eu.ehds.rights.portal.ledger.LogKeys.class).verifier()
                    .verify(firstUnderKey2).treeSize()).isEqualTo(rotationLeaf + 1);
            issued.add(issue(ledger));
        }
        // rotation 2: the key given in the environment, the next one in a file
        Path key3File = Files.writeString(dir.resolve("key3.txt"),
                java.util.Base64.getEncoder().encodeToString(NoteSigner.newSeed()));
        List<String> rotateAgain = new ArrayList<>(rotate);
        rotateAgain.addAll(List.of("--ledger.signing-key=" + key2Seed, "--new-key-file=" + key3File));
        Run second = Run.of(rotateAgain);
        assertThat(second.exit()).as(second.printed()).isZero();
        String key3Seed = Files.readString(key3File).strip();
        assertThatThrownBy(() -> Ledger.start(dir, origin, "--ledger.signing-key=" + key2Seed))
                .as("a node given the retired key").hasStackTraceContaining("checkpoint signing key");
        assertThatThrownBy(() -> Ledger.start(dir, "other.ledger.test/log", "--ledger.signing-key=" + key3Seed))
                .as("a node given another origin")
                .hasStackTraceContaining("log origin (other.ledger.test/log)").hasStackTraceContaining(origin);

        Path keysFile = dir.resolve("keys.json");
        try (Ledger ledger = Ledger.start(dir, origin, "--ledger.signing-key=" + key3Seed)) {
            issued.add(issue(ledger));
            JsonNode keys = ledger.api().get("/api/v1/log/keys").json();
            assertThat(keys.get("keys")).hasSize(3);
            assertThat(keys.get("keys").get(2).get("current").asBoolean()).isTrue();
            assertThat(issued.stream().map(Issued::key).distinct()).hasSize(3);
            Files.writeString(keysFile, keys.toString());
            eu.ehds.rights.portal.support.PortalSession anyone =
                    new eu.ehds.rights.portal.support.PortalSession(ledger.port());
            anyone.get("/verify?lang=en");
            eu.ehds.rights.portal.support.PortalSession auditor =
                    new eu.ehds.rights.portal.support.PortalSession(ledger.port());
            auditor.signIn("auditor", Api.AUDITOR_PASSWORD);
            assertThat(auditor.get("/audit?lang=en").body()).contains(issued.get(0).key(), issued.get(1).key(),
                    issued.get(2).key());
            Path password = Files.writeString(dir.resolve("auditor.txt"), Api.AUDITOR_PASSWORD);

            for (Issued i : issued) {
                String under = "issued under key " + i.key();
                // the checkpoint as issued then, served as stored
                assertThat(ledger.api().get("/api/v1/log/checkpoint?treeSize=" + i.treeSize()).body()).as(under)
                        .isEqualTo(i.checkpoint());
                // verify-receipt, with the key history, and with the key of its time alone
                Path receipt = Files.writeString(dir.resolve("receipt-" + i.leaf() + ".json"), i.receipt());
                Run withHistory = Run.of(List.of("verify-receipt", "--file=" + receipt, "--keys=" + keysFile));
                assertThat(withHistory.exit()).as(under + ": " + withHistory.printed()).isZero();
                Run withItsKey = Run.of(List.of("verify-receipt", "--file=" + receipt, "--origin=" + origin,
                        "--public-key=" + i.key()));
                assertThat(withItsKey.exit()).as(under + ": " + withItsKey.printed()).isZero();
                // the portal's /verify
                assertThat(anyone.post("/verify", java.util.Map.of("receipt", i.receipt())).body()).as(under)
                        .contains("The receipt is valid");
                // verify-anchor through the auditor organisation's peer, and the audit page of the entry
                Run anchor = Run.of(List.of("verify-anchor", "--leaf-index=" + i.leaf(),
                        "--ledger-url=http://127.0.0.1:" + ledger.port(), "--fabric-connection=" + connection,
                        "--auditor-user=auditor", "--auditor-password-file=" + password));
                assertThat(anchor.exit()).as(under + ": " + anchor.printed()).isZero();
                assertThat(anchor.printed()).contains("VERIFIED");
                String page = auditor.get("/audit/entry?leafIndex=" + i.leaf()).body();
                assertThat(page).as(under).contains("id=\"anchor-title\" class=\"ok\"").doesNotContain("class=\"failed\"");
                assertThat(ledger.verifyEntry(i.leaf()).get("passed").asBoolean()).as(under).isTrue();
                // the data holder's opt-out snapshot and filter certificate, with the key history served
                eu.ehds.rights.ledger.checkpoint.NoteVerifier history = ledger.context()
                        .getBean(eu.ehds.rights.portal.ledger.LogKeys.class).verifier();
                assertThat(eu.ehds.rights.projections.extract.OptOutSnapshot.read(
                        new java.io.ByteArrayInputStream(i.snapshot()), history).field("origin")).isEqualTo(origin);
                assertThat(eu.ehds.rights.portal.receipt.SignedDocuments.verify(history,
                        "rights-ledger filter certificate v1\n", (com.fasterxml.jackson.databind.node.ObjectNode)
                                new com.fasterxml.jackson.databind.ObjectMapper().readTree(i.certificate())))
                        .as(under).isTrue();
            }
            // a retired key verifies nothing it did not sign: the first receipt's checkpoint, claimed by key 2, fails
            Run wrongKey = Run.of(List.of("verify-receipt", "--file=" + dir.resolve("receipt-" + issued.get(0).leaf()
                    + ".json"), "--origin=" + origin, "--public-key=" + issued.get(1).key()));
            assertThat(wrongKey.exit()).as(wrongKey.printed()).isEqualTo(1);
        }
        // verify: every checkpoint stored, under each of the three keys, and every leaf
        List<String> verify = new ArrayList<>(List.of("verify"));
        verify.addAll(settings);
        verify.add("--ledger.signing-key=" + key3Seed);
        Run verified = Run.of(verify);
        assertThat(verified.exit()).as(verified.printed()).isZero();
    }

    private static String newOrigin() {
        return "it-" + UUID.randomUUID().toString().substring(0, 8) + ".ledger.test/log";
    }

    @Test
    void given_entries_when_anchored_then_an_auditor_verifies_them_through_qscc_by_api_and_command() throws Exception {
        try (Ledger ledger = Ledger.start(Files.createTempDirectory("anchoring-it-"), newOrigin())) {
            long first = ledger.optOut();
            ledger.optOut();
            long last = ledger.optOut();

            JsonNode status = ledger.awaitAnchored(last + 1, Duration.ofSeconds(60));
            JsonNode report = ledger.verifyEntry(first);

            assertThat(status.get("anchored").asBoolean()).isTrue();
            assertThat(report.get("passed").asBoolean()).as(report.toString()).isTrue();
            assertThat(report.get("steps")).hasSize(6);
            assertThat(report.toString()).contains("validation code VALID").contains("AccessBodyMSP", "AuditorMSP");
            assertThat(ledger.api().get("/api/v1/log/checkpoint").header("Ledger-Anchoring")).isEqualTo("anchored");
            List<JsonNode> anchored = ledger.anchoredEvents(status.get("latestTreeSize").asLong() + 1);
            assertThat(anchored).isNotEmpty();
            assertThat(anchored.toString()).contains(status.get("latestTransactionId").asString());

            AnchorVerification.LogView real = ledger.context().getBean(AnchorVerification.LogView.class);
            try (FabricLedgerClient chain = new FabricLedgerClient(FabricConnection.load(connection, "auditor"),
                    Duration.ofSeconds(20))) {
                AnchorVerification.Report rewritten = new AnchorVerification(rewrittenLog(real), chain)
                        .verifyEntry(0);
                assertThat(rewritten.passed()).isFalse();
                assertThat(rewritten.steps()).filteredOn(step -> !step.passed())
                        .extracting(AnchorVerification.Step::name)
                        .containsExactly("anchored root matches the log", "entry included under the anchored root");
            }

            Path passwordFile = Files.writeString(Files.createTempFile("auditor-", ".txt"), Api.AUDITOR_PASSWORD);
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            int exit = Cli.run(new String[] {"verify-anchor", "--leaf-index=" + last,
                    "--ledger-url=http://127.0.0.1:" + ledger.port(), "--fabric-connection=" + connection,
                    "--auditor-user=auditor", "--auditor-password-file=" + passwordFile},
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(exit).as(printed.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("through AuditorMSP").contains("VERIFIED");

            int beyond = Cli.run(new String[] {"verify-anchor", "--tree-size=100000",
                    "--ledger-url=http://127.0.0.1:" + ledger.port(), "--fabric-connection=" + connection},
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertThat(beyond).as("nothing anchors a tree size the log never reached").isEqualTo(1);
        }
    }

    @Test
    void given_an_anchored_checkpoint_when_a_fork_is_offered_then_the_chaincode_refuses_it() throws Exception {
        String origin = newOrigin();
        NoteSigner signer = NoteSigner.fromSeed(origin, NoteSigner.newSeed());
        MerkleTree real = tree("real", 8);
        MerkleTree fork = tree("real", 3);
        for (int i = 3; i < 8; i++) {
            fork.append(MerkleHashes.leafHash(("forged " + i).getBytes(StandardCharsets.UTF_8)));
        }
        FabricConnection accessBody = FabricConnection.load(connection, "accessbody");
        try (FabricLedgerClient chain = new FabricLedgerClient(accessBody, Duration.ofSeconds(20))) {
            chain.registerOrigin(origin, signer.publicKey());
            chain.anchor(origin, 4, real.root(4), note(signer, real, 4), List.of());

            assertThatThrownBy(() -> chain.anchor(origin, 8, fork.root(8), note(signer, fork, 8),
                    fork.consistencyProof(4, 8)))
                    .isInstanceOf(AnchoringUnavailable.class).hasMessageContaining("consistency proof rejected");
            assertThatThrownBy(() -> chain.anchor(origin, 8, fork.root(8), note(signer, fork, 8),
                    real.consistencyProof(4, 8))).hasMessageContaining("consistency proof rejected");
            assertThat(chain.latest(origin).orElseThrow().treeSize()).isEqualTo(4);

            FabricLedgerClient.Committed extension = chain.anchor(origin, 8, real.root(8),
                    note(signer, real, 8), real.consistencyProof(4, 8));
            assertThat(extension.anchor().previousTreeSize()).isEqualTo(4);
            assertThat(chain.atOrAfter(origin, 5).orElseThrow().txId()).isEqualTo(extension.transactionId());
        }
    }

    @Test
    void given_a_user_of_the_auditor_organisation_when_it_registers_an_origin_then_the_chaincode_refuses_it()
            throws Exception {
        String origin = newOrigin();
        NoteSigner squatter = NoteSigner.fromSeed(origin, NoteSigner.newSeed());
        try (FabricLedgerClient auditor = new FabricLedgerClient(FabricConnection.load(connection, "auditor"),
                Duration.ofSeconds(20))) {
            assertThatThrownBy(() -> auditor.registerOrigin(origin, squatter.publicKey()))
                    .hasMessageContaining("only identities of AccessBodyMSP may register an origin");
            assertThat(auditor.latest(origin)).isEmpty();
        }
        // the name stays free for the access body
        NoteSigner owner = NoteSigner.fromSeed(origin, NoteSigner.newSeed());
        try (FabricLedgerClient accessBody = new FabricLedgerClient(FabricConnection.load(connection, "accessbody"),
                Duration.ofSeconds(20))) {
            accessBody.registerOrigin(origin, owner.publicKey());
            MerkleTree log = tree("owned", 2);
            assertThat(accessBody.anchor(origin, 2, log.root(2), note(owner, log, 2), List.of()).anchor().treeSize())
                    .isEqualTo(2);
        }
    }

    @Test
    void given_a_database_restored_from_an_older_backup_then_anchoring_reports_the_rollback_and_the_fork_and_records_nothing_false()
            throws Exception {
        Path dataDir = Files.createTempDirectory("anchoring-restore-it-");
        Path backup = Files.createTempDirectory("anchoring-restore-backup-");
        String origin = newOrigin();
        long backedUp;
        try (Ledger ledger = Ledger.start(dataDir, origin)) {
            ledger.optOut();
            ledger.optOut();
            backedUp = ledger.optOut() + 1;
            ledger.awaitAnchored(backedUp, Duration.ofSeconds(60));
        }
        copy(dataDir, backup); // the backup an operator will restore
        long anchoredLater;
        try (Ledger ledger = Ledger.start(dataDir, origin)) {
            long size = 0;
            for (int i = 0; i < 6; i++) {
                size = ledger.optOut() + 1;
            }
            anchoredLater = ledger.awaitAnchored(size, Duration.ofSeconds(60)).get("latestTreeSize").asLong();
        }

        // when the older database is restored and the ledger started on it
        int recordsAtRestore;
        deleteTree(dataDir);
        copy(backup, dataDir);
        try (Ledger ledger = Ledger.start(dataDir, origin)) {
            // then anchoring reports a rollback, as its own state and not as a network wait, and stops
            JsonNode status = ledger.await(s -> s.get("forked").asBoolean(), Duration.ofSeconds(30), "the rollback");
            assertThat(status.get("problem").asString()).startsWith("rollback")
                    .contains("tree size " + anchoredLater);
            assertThat(status.get("description").asString()).contains("ANCHORING HAS STOPPED")
                    .doesNotContain("waiting");
            assertThat(ledger.api.get("/actuator/health").status()).isEqualTo(503);
            assertThat(ledger.api.get("/actuator/health/readiness").status()).isEqualTo(200); // still answers truly
            recordsAtRestore = ledger.anchoredEvents(logSize(ledger)).size();
            // writes go on, giving the restored log a history of its own beyond the anchored size
            long size = 0;
            while (size <= anchoredLater) {
                size = ledger.optOut() + 1;
            }
        }
        try (Ledger ledger = Ledger.start(dataDir, origin)) {
            // (the report of the previous run says rollback until this run's leader has looked)
            JsonNode status = ledger.await(s -> s.get("forked").asBoolean()
                    && s.get("problem").asString().startsWith("fork"), Duration.ofSeconds(30), "the fork");
            assertThat(status.get("problem").asString()).startsWith("fork: at tree size " + anchoredLater)
                    .contains("this log's root is");
            assertThat(status.get("latestTreeSize").asLong()).isLessThan(anchoredLater);
            // nothing false in the log: no anchor recorded since the restore, none of the contradicted one
            List<JsonNode> records = ledger.anchoredEvents(logSize(ledger));
            assertThat(records).hasSize(recordsAtRestore);
            assertThat(records).allSatisfy(e -> assertThat(e.get("event").get("payload").get("treeSize").asLong())
                    .isLessThanOrEqualTo(backedUp + 1));
        }
        try (FabricLedgerClient chain = new FabricLedgerClient(FabricConnection.load(connection, "auditor"),
                Duration.ofSeconds(20))) {
            assertThat(chain.latest(origin).orElseThrow().treeSize()).isEqualTo(anchoredLater); // nothing anchored
        }
    }

    private static long logSize(Ledger ledger) {
        return ledger.api.get("/api/v1/decisions/status", "auditor", Api.AUDITOR_PASSWORD).json().get("logSize")
                .asLong();
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    void given_a_peer_down_when_entries_are_written_then_anchoring_waits_and_catches_up_without_losing_any()
            throws Exception {
        try (Ledger ledger = Ledger.start(Files.createTempDirectory("anchoring-it-"), newOrigin())) {
            long before = ledger.optOut();
            ledger.awaitAnchored(before + 1, Duration.ofSeconds(60));
            long anchoredBefore = ledger.status().get("latestTreeSize").asLong();
            List<Long> written = new ArrayList<>();
            FabricNetwork.stop("peer-auditor");
            try {
                for (int i = 0; i < 5; i++) {
                    written.add(ledger.optOut()); // accepted while endorsement by the auditor is impossible
                }
                JsonNode waiting = ledger.await(s -> !s.get("problem").isNull() && s.get("pendingEntries").asLong() >= 5,
                        Duration.ofSeconds(60), "anchoring to report the network problem and the entries waiting");
                assertThat(waiting.get("latestTreeSize").asLong()).isEqualTo(anchoredBefore);
            } finally {
                FabricNetwork.start("peer-auditor");
            }
            long last = written.get(written.size() - 1);
            JsonNode recovered = ledger.awaitAnchored(last + 1, Duration.ofSeconds(120));

            assertThat(recovered.get("problem").isNull()).isTrue();
            assertThat(written).hasSize(5).isSorted().doesNotHaveDuplicates().allMatch(leaf -> leaf > before);
            for (long leaf : written) {
                assertThat(ledger.verifyEntry(leaf).get("passed").asBoolean()).isTrue();
            }
        }
    }

    @Test
    void given_a_restarted_ledger_then_anchoring_resumes_from_the_chain_and_records_each_anchor_once()
            throws Exception {
        Path dataDir = Files.createTempDirectory("anchoring-it-");
        String origin = newOrigin();
        long firstAnchor;
        try (Ledger ledger = Ledger.start(dataDir, origin)) {
            long leaf = ledger.optOut();
            firstAnchor = ledger.awaitAnchored(leaf + 1, Duration.ofSeconds(60)).get("latestTreeSize").asLong();
        }
        try (Ledger ledger = Ledger.start(dataDir, origin)) {
            JsonNode resumed = ledger.await(s -> s.get("latestTreeSize").asLong(0) >= firstAnchor,
                    Duration.ofSeconds(60), "anchoring to resume from the chain");
            long leaf = ledger.optOut();
            JsonNode next = ledger.awaitAnchored(leaf + 1, Duration.ofSeconds(60));

            assertThat(resumed.get("latestTreeSize").asLong()).isGreaterThanOrEqualTo(firstAnchor);
            try (FabricLedgerClient chain = new FabricLedgerClient(FabricConnection.load(connection, "auditor"),
                    Duration.ofSeconds(20))) {
                ChainAnchor latest = chain.latest(origin).orElseThrow();
                assertThat(latest.treeSize()).isEqualTo(next.get("latestTreeSize").asLong());
                assertThat(latest.previousTreeSize()).isGreaterThanOrEqualTo(firstAnchor);
            }
            List<JsonNode> recorded = ledger.anchoredEvents(next.get("latestTreeSize").asLong());
            List<Long> sizes = recorded.stream().map(e -> e.get("event").get("payload").get("treeSize").asLong())
                    .toList();
            assertThat(sizes).doesNotHaveDuplicates().contains(firstAnchor);
            assertThat(ledger.verifyEntry(leaf).get("passed").asBoolean()).isTrue();
        }
    }

    /** The same log, except that its operator rewrote entry 0 after it was anchored. */
    private static AnchorVerification.LogView rewrittenLog(AnchorVerification.LogView real) {
        byte[] forged = MerkleHashes.leafHash("rewritten".getBytes(StandardCharsets.UTF_8));
        return new AnchorVerification.LogView() {
            @Override
            public String origin() {
                return real.origin();
            }

            @Override
            public eu.ehds.rights.ledger.checkpoint.NoteVerifier keys() {
                return real.keys();
            }

            @Override
            public byte[] root(long treeSize) {
                MerkleTree tree = new MerkleTree();
                tree.append(forged);
                for (long i = 1; i < treeSize; i++) {
                    tree.append(real.leafHash(i));
                }
                return tree.root(treeSize);
            }

            @Override
            public byte[] leafHash(long leafIndex) {
                return leafIndex == 0 ? forged : real.leafHash(leafIndex);
            }

            @Override
            public List<byte[]> inclusionProof(long leafIndex, long treeSize) {
                return real.inclusionProof(leafIndex, treeSize);
            }
        };
    }

    private static MerkleTree tree(String label, int size) {
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < size; i++) {
            tree.append(MerkleHashes.leafHash((label + " " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return tree;
    }

    private static String note(NoteSigner signer, MerkleTree tree, long size) {
        return signer.sign(new Checkpoint(signer.keyName(), size, tree.root(size)).text());
    }
}
