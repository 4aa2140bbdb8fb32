package eu.ehds.rights.portal.audit;

import static eu.ehds.rights.portal.support.Nirs.anyNir;
import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.checkpoint.Checkpoint;
import eu.ehds.rights.ledger.checkpoint.CosignatureVerifier;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.ledger.log.MerkleHashes;
import eu.ehds.rights.ledger.log.MerkleTree;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.portal.RightsPortalApplication;
import eu.ehds.rights.portal.cli.Cli;
import eu.ehds.rights.portal.receipt.Receipts;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.Witness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The log witnessed by the auditor organisation's witness, transparency-dev's omniwitness built from its Go module and
 * run as its own process: checkpoints and receipts carry its C2SP tlog-cosignature, verifiers can require it, writes go
 * on while it is down, and it refuses a checkpoint that forks from what it cosigned.
 */
class WitnessIT {

    private static final String ORIGIN = "witness-it.ledger.test/log";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void given_a_witness_then_checkpoints_and_receipts_carry_its_cosignature_writes_outlive_it_and_it_refuses_a_fork()
            throws Exception {
        Path dir = Files.createTempDirectory("witness-it-");
        byte[] seed = NoteSigner.newSeed();
        NoteSigner signer = NoteSigner.fromSeed(ORIGIN, seed);
        NoteVerifier logKey = new NoteVerifier(ORIGIN, signer.publicKey());
        try (Witness witness = Witness.create(dir.resolve("witness"), "witness.auditor.ledger.test", ORIGIN,
                signer.verifierKey())) {
            witness.start();
            CosignatureVerifier cosigner = CosignatureVerifier.parse(witness.verifierKey());
            try (ConfigurableApplicationContext ledger = new SpringApplicationBuilder(RightsPortalApplication.class)
                    .logStartupInfo(false).run("--server.port=0", "--ledger.data-dir=" + dir.resolve("ledger"),
                            "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("ledger/ledger"),
                            "--ledger.admin-password=" + Api.ADMIN_PASSWORD,
                            "--ledger.auditor-password=" + Api.AUDITOR_PASSWORD, "--ledger.origin=" + ORIGIN,
                            "--ledger.signing-key=" + Base64.getEncoder().encodeToString(seed),
                            "--ledger.witness.url=" + witness.url(), "--ledger.witness.key=" + witness.verifierKey(),
                            "--ledger.witness.interval=200ms")) {
                Api api = new Api(ledger.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
                Receipts receipts = ledger.getBean(Receipts.class);

                // the checkpoints are cosigned, and receipts carry the cosignature
                optOut(api);
                optOut(api);
                long leaf = optOut(api);
                String witnessed = awaitWitnessed(api, leaf + 1);
                Checkpoint checkpoint = logKey.verify(witnessed);
                assertThat(cosigner.verify(witnessed)).isPresent();
                assertThat(api.get("/api/v1/log/checkpoint?treeSize=" + checkpoint.treeSize()).body())
                        .isEqualTo(witnessed);
                Path receipt = Files.writeString(dir.resolve("receipt.json"), receipts.toJson(receipts.issue(leaf)));
                Run required = verifyReceipt(receipt, signer, witness.verifierKey());
                assertThat(required.exit()).as(required.printed()).isZero();
                assertThat(required.printed()).contains("cosigned by witness witness.auditor.ledger.test");

                // the witness is killed: writes go on, checkpoints simply lack its cosignature
                witness.kill();
                long during = optOut(api);
                String latest = api.get("/api/v1/log/checkpoint").body();
                assertThat(logKey.verify(latest).treeSize()).isGreaterThan(during);
                assertThat(cosigner.verify(latest)).isEmpty();
                Path unwitnessed = Files.writeString(dir.resolve("unwitnessed.json"),
                        receipts.toJson(receipts.issue(during)));
                Run refused = verifyReceipt(unwitnessed, signer, witness.verifierKey());
                assertThat(refused.exit()).as(refused.printed()).isEqualTo(1);
                assertThat(refused.printed()).contains("no valid cosignature by witness witness.auditor.ledger.test");
                Run logAlone = verifyReceipt(unwitnessed, signer, null);
                assertThat(logAlone.exit()).as(logAlone.printed()).isZero();

                // it returns: what was written meanwhile is cosigned, from the size it cosigned before
                witness.start();
                String after = awaitWitnessed(api, during + 1);
                long size = logKey.verify(after).treeSize();

                // a checkpoint signed with the log's own key but forking from what the witness cosigned is refused
                VerifiableLog log = ledger.getBean(VerifiableLog.class);
                MerkleTree fork = new MerkleTree();
                for (long i = 0; i < size - 1; i++) {
                    fork.append(log.leafHash(i));
                }
                for (int i = 0; i < 4; i++) {
                    fork.append(MerkleHashes.leafHash(("forged " + i).getBytes(StandardCharsets.UTF_8)));
                }
                StringBuilder proof = new StringBuilder();
                fork.consistencyProof(size, size + 3).forEach(h -> proof.append(Base64.getEncoder()
                        .encodeToString(h)).append('\n'));
                String forked = signer.sign(new Checkpoint(ORIGIN, size + 3, fork.root(size + 3)).text());
                assertThat(addCheckpoint(witness, "old " + size + "\n" + proof + "\n" + forked).statusCode())
                        .as("a forked extension").isEqualTo(422);
                String sameSize = signer.sign(new Checkpoint(ORIGIN, size, fork.root(size)).text());
                assertThat(addCheckpoint(witness, "old " + size + "\n\n" + sameSize).statusCode())
                        .as("another root at the cosigned size").isEqualTo(422);
                HttpResponse<String> stale = addCheckpoint(witness, "old 1\n\n" + forked);
                assertThat(stale.statusCode()).as("an old size it did not cosign last").isEqualTo(409);
                assertThat(stale.body().strip()).isEqualTo(Long.toString(size));

                // and the honest log is still cosigned after the attempt
                long next = optOut(api);
                assertThat(cosigner.verify(awaitWitnessed(api, next + 1))).isPresent();
            }
        }
    }

    private HttpResponse<String> addCheckpoint(Witness witness, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(witness.url() + "add-checkpoint"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long optOut(Api api) {
        Api.Response response = api.postAsAdmin("/api/v1/opt-outs", "{\"person\":\"" + anyNir()
                + "\",\"scope\":{\"type\":\"GLOBAL\"},\"channel\":\"POST\",\"idempotencyKey\":\"it-"
                + UUID.randomUUID() + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("leafIndex").asLong();
    }

    /** The latest cosigned checkpoint, once it covers a tree size. */
    private static String awaitWitnessed(Api api, long treeSize) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Api.Response response = api.get("/api/v1/log/checkpoint?witnessed=true");
            if (response.status() == 200 && Long.parseLong(response.body().split("\n")[1]) >= treeSize) {
                return response.body();
            }
            assertThat(System.nanoTime()).as("a cosigned checkpoint of size " + treeSize + "; last answer "
                    + response.status() + " " + response.body()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private record Run(int exit, String printed) {
    }

    private static Run verifyReceipt(Path receipt, NoteSigner signer, String witnessKey) {
        List<String> args = new java.util.ArrayList<>(List.of("verify-receipt", "--file=" + receipt,
                "--origin=" + ORIGIN, "--public-key=" + Base64.getEncoder().encodeToString(signer.publicKey())));
        if (witnessKey != null) {
            args.add("--witness-key=" + witnessKey);
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = Cli.run(args.toArray(String[]::new), new PrintStream(printed, true, StandardCharsets.UTF_8));
        return new Run(exit, printed.toString(StandardCharsets.UTF_8));
    }
}
