package eu.ehds.rights.portal.cli;

import eu.ehds.rights.ledger.checkpoint.Checkpoint;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.ledger.log.MerkleHashes;
import eu.ehds.rights.portal.anchoring.AnchorVerification;
import eu.ehds.rights.portal.anchoring.FabricConnection;
import eu.ehds.rights.portal.anchoring.FabricLedgerClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code verify-anchor}: an auditor checks an entry or a tree size of the ledger against its anchor, reading the
 * chain through their own organisation's peer and the log through the ledger's public API only.
 *
 * <pre>
 * java -jar rights-portal.jar verify-anchor --leaf-index=42 [--tree-size=N] [--ledger-url=http://127.0.0.1:8080]
 *     [--fabric-connection=fabric-network/.state/connection.properties] [--organisation=auditor]
 *     [--public-key=BASE64 ...] (the log keys the auditor trusts; the ledger's key history when not given)
 *     [--auditor-user=NAME [--auditor-password-file=FILE]]   (password from the file or LEDGER_AUDITOR_PASSWORD:
 *                             the entry's hash is then recomputed from its exact bytes)
 * </pre>
 * Exit 0 when every step passes, 1 when one fails, 2 for a usage error.
 */
@Command(name = "verify-anchor", mixinStandardHelpOptions = true,
        description = "Check an entry, or a tree size, against its anchor on Fabric; exit 1 when a step fails.")
final class VerifyAnchorCommand implements Callable<Integer> {

    @Option(names = "--leaf-index", description = "the entry to check")
    private Long leaf;

    @Option(names = "--tree-size", description = "the tree size to check")
    private Long size;

    @Option(names = "--ledger-url", defaultValue = "http://127.0.0.1:8080", description = "default: ${DEFAULT-VALUE}")
    private String ledgerUrl;

    @Option(names = "--fabric-connection", defaultValue = "fabric-network/.state/connection.properties",
            description = "default: ${DEFAULT-VALUE}")
    private Path fabricConnection;

    @Option(names = "--organisation", defaultValue = "auditor", description = "default: ${DEFAULT-VALUE}")
    private String organisation;

    @Option(names = "--public-key", description = "a log key the auditor trusts (base64), repeatable; without it, "
            + "the keys the ledger serves")
    private java.util.List<String> pinned;

    @Option(names = "--auditor-user", description = "an auditor account: the entry's hash is then recomputed")
    private String user;

    @Option(names = "--auditor-password-file",
            description = "the auditor's password (otherwise LEDGER_AUDITOR_PASSWORD)")
    private Path passwordFile;

    @Spec
    private CommandSpec spec;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private PrintWriter out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String ledger;
    private String credentials; // base64 user:password of an auditor account, when given

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        ledger = ledgerUrl.replaceAll("/+$", "");
        if (user != null) {
            String password;
            try {
                password = passwordFile != null ? java.nio.file.Files.readString(passwordFile).strip()
                        : System.getenv().getOrDefault("LEDGER_AUDITOR_PASSWORD", "");
            } catch (IOException e) {
                out.println("verify-anchor: cannot read " + passwordFile + ": " + e.getMessage());
                return 2;
            }
            credentials = Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if ((leaf == null) == (size == null)) {
            out.println("verify-anchor: give exactly one of --leaf-index=N and --tree-size=N (see --help)");
            return 2;
        }
        long number = leaf != null ? leaf : size;
        NoteVerifier served = TrustedKeys.served(JSON.readTree(get("/api/v1/log/keys")));
        String origin = served.keyName();
        NoteVerifier keys = TrustedKeys.pinned(served, pinned);
        if (keys == null) {
            out.println("FAILED: the ledger serves none of the pinned keys");
            return 1;
        }
        if (pinned == null || pinned.isEmpty()) {
            out.println("note: trusting the log " + TrustedKeys.describe(keys) + " the ledger serves; pin with "
                    + "--public-key");
        }
        FabricConnection connection = FabricConnection.load(fabricConnection, organisation);
        try (FabricLedgerClient chain = new FabricLedgerClient(connection, Duration.ofSeconds(20))) {
            AnchorVerification verification = new AnchorVerification(new HttpLogView(origin, keys), chain);
            AnchorVerification.Report report = leaf != null ? verification.verifyEntry(number)
                    : verification.verifyTreeSize(number);
            out.println("verifying " + report.subject() + " of " + origin + " through " + connection.mspId()
                    + " at " + connection.peerEndpoint());
            for (AnchorVerification.Step step : report.steps()) {
                out.println((step.passed() ? "  OK    " : "  FAIL  ") + step.name() + ": " + step.detail());
            }
            out.println(report.passed() ? "VERIFIED" : "FAILED");
            return report.passed() ? 0 : 1;
        }
    }

    /** The log through its public endpoints; roots come from checkpoints the log signs for each size. */
    private final class HttpLogView implements AnchorVerification.LogView {
        private final String origin;
        private final NoteVerifier keys;

        HttpLogView(String origin, NoteVerifier keys) {
            this.origin = origin;
            this.keys = keys;
        }

        @Override
        public String origin() {
            return origin;
        }

        @Override
        public NoteVerifier keys() {
            return keys;
        }

        @Override
        public byte[] root(long treeSize) {
            Checkpoint checkpoint = keys.verify(get("/api/v1/log/checkpoint?treeSize=" + treeSize));
            if (checkpoint.treeSize() != treeSize) {
                throw new IllegalStateException("asked for tree size " + treeSize + ", the log signed "
                        + checkpoint.treeSize());
            }
            return checkpoint.rootHash();
        }

        @Override
        public byte[] leafHash(long leafIndex) {
            byte[] served = HEX.parseHex(inclusion(leafIndex, leafIndex + 1).get("leafHash").asString());
            if (credentials == null) {
                return served;
            }
            // With auditor credentials, the hash is recomputed from the entry's exact bytes.
            JsonNode entry = JSON.readTree(get("/api/v1/log/entries?start=" + leafIndex + "&end=" + (leafIndex + 1)))
                    .get(0);
            byte[] recomputed = MerkleHashes.leafHash(Base64.getDecoder().decode(entry.get("leafData").asString()));
            if (!java.security.MessageDigest.isEqual(served, recomputed)) {
                throw new IllegalStateException("entry " + leafIndex + " hashes to " + HEX.formatHex(recomputed)
                        + ", not to the leaf hash the log serves " + HEX.formatHex(served));
            }
            return recomputed;
        }

        @Override
        public List<byte[]> inclusionProof(long leafIndex, long treeSize) {
            List<byte[]> path = new ArrayList<>();
            inclusion(leafIndex, treeSize).get("auditPath").forEach(h -> path.add(HEX.parseHex(h.asString())));
            return path;
        }

        private JsonNode inclusion(long leafIndex, long treeSize) {
            return JSON.readTree(get("/api/v1/log/proof/inclusion?leafIndex=" + leafIndex + "&treeSize=" + treeSize));
        }
    }

    private String get(String path) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ledger + path))
                    .timeout(Duration.ofSeconds(20)).GET();
            if (credentials != null) {
                request.header("Authorization", "Basic " + credentials);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the ledger at " + ledger + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
