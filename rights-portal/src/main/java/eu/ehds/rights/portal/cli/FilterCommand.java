package eu.ehds.rights.portal.cli;

import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.projections.extract.ExtractFilter;
import eu.ehds.rights.projections.extract.FilterOutcome;
import eu.ehds.rights.projections.extract.OptOutSnapshot;
import eu.ehds.rights.projections.usage.CohortFile;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code filter}: the data holder's tool. It filters an extract locally against a signed opt-out snapshot, so
 * identifiers never leave the data holder, then reports counts and hashes to the ledger, which records the
 * delivery and returns a signed certificate.
 *
 * <pre>
 * java -jar rights-portal.jar filter --server=https://ledger.example --api-key=rlk_… --project=prj-… \
 *      --dataset=DCIR --in=extract.csv.gz --column=nir --out=allowed.csv
 * java -jar rights-portal.jar filter --snapshot=optouts.snap --origin=… --public-key=BASE64 [--public-key=…] --in=… --out=…
 * </pre>
 *
 * NIR rows need the pseudonymisation key ({@code LEDGER_PSEUDONYM_KEY}), which only accredited data holders
 * hold; without it, rows must already be ledger pseudonyms.
 */
@Command(name = "filter", mixinStandardHelpOptions = true,
        description = "Filter an extract locally against the signed opt-out snapshot; online, have the delivery "
                + "recorded and certified.")
final class FilterCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(names = "--in", required = true, description = "the extract: CSV, optionally gzip-compressed")
    private String in;

    @Option(names = "--out", required = true, description = "the rows allowed")
    private String outFile;

    @Option(names = "--column", description = "the identifier column (default: the first)")
    private String column;

    @Option(names = "--errors", description = "unreadable rows (default: OUT.errors.csv)")
    private String errorsPath;

    @Option(names = "--certificate", description = "the signed certificate (default: OUT.certificate.json)")
    private String certificateFile;

    @Option(names = "--server", description = "online: the ledger's address")
    private String server;

    @Option(names = "--api-key", defaultValue = "${env:LEDGER_API_KEY}",
            description = "online: the data holder's key (default: LEDGER_API_KEY)")
    private String apiKey;

    @Option(names = "--project", defaultValue = "", description = "online: the project")
    private String project;

    @Option(names = "--dataset", defaultValue = "", description = "online: the dataset")
    private String dataset;

    @Option(names = "--snapshot", description = "offline: a snapshot file")
    private String snapshotFile;

    @Option(names = "--origin", defaultValue = "", description = "offline: the log's origin")
    private String origin;

    @Option(names = "--public-key", description = "a log key you trust (base64), repeatable: offline, required; "
            + "online, pinned")
    private java.util.List<String> publicKey;

    @Spec
    private CommandSpec spec;

    private PrintWriter out;
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Integer call() throws IOException, InterruptedException {
        out = spec.commandLine().getOut();
        if ((server == null) == (snapshotFile == null)) {
            out.println("filter: give either --server (online) or --snapshot (offline), see --help");
            return 2;
        }
        if (snapshotFile != null && publicKey == null) {
            out.println("filter: offline, --public-key is required (the log key you trust)");
            return 2;
        }

        NoteVerifier verifier;
        byte[] snapshotBytes;
        if (server != null) {
            verifier = TrustedKeys.pinned(TrustedKeys.served(JSON.readTree(get(server + "/api/v1/log/keys", null)
                    .body())), publicKey);
            if (verifier == null) {
                out.println("the server serves none of the pinned --public-key keys: refusing");
                return 1;
            }
            HttpResponse<byte[]> snapshot = http.send(HttpRequest.newBuilder(URI.create(server
                            + "/api/v1/extracts/snapshot?projectId=" + encode(project)
                            + "&dataset=" + encode(dataset))).header("X-Api-Key", apiKey).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (snapshot.statusCode() != 200) {
                out.println("the ledger refused the snapshot (" + snapshot.statusCode() + "): "
                        + new String(snapshot.body(), StandardCharsets.UTF_8));
                return 1;
            }
            snapshotBytes = snapshot.body();
        } else {
            verifier = TrustedKeys.given(origin, publicKey);
            snapshotBytes = Files.readAllBytes(Path.of(snapshotFile));
        }
        OptOutSnapshot snapshot = OptOutSnapshot.read(new ByteArrayInputStream(snapshotBytes), verifier);
        if (Instant.now().isAfter(snapshot.validUntil())) {
            out.println("the snapshot expired at " + snapshot.validUntil() + ": download a new one");
            return 1;
        }
        out.printf("snapshot %s: project %s, permit %s, %s persons %s, rule %s, log tree size %s%n",
                snapshot.field("snapshot"), snapshot.field("project"), snapshot.field("permit"), snapshot.field("count"),
                snapshot.onlyListed() ? "consenting (only they are delivered)" : "excluded", snapshot.field("rule"),
                snapshot.field("treeSize"));

        String secret = System.getenv("LEDGER_PSEUDONYM_KEY");
        Pseudonymiser pseudonymiser = secret == null || secret.isBlank() ? null
                : new Pseudonymiser(Base64.getDecoder().decode(secret.strip()));
        ExtractFilter filter = snapshot.filter(pseudonymiser);
        Path errorsFile = Path.of(errorsPath != null ? errorsPath : outFile + ".errors.csv");
        FilterOutcome outcome;
        CohortFile.Written cohort;
        Path cohortFile = Path.of(outFile + ".cohort");
        long size = Files.size(Path.of(in));
        try (InputStream input = Files.newInputStream(Path.of(in));
             OutputStream output = new BufferedOutputStream(Files.newOutputStream(Path.of(outFile)), 1 << 16);
             Writer errors = new BufferedWriter(Files.newBufferedWriter(errorsFile));
             CohortFile.Writer delivered = CohortFile.writer(Files.createTempDirectory("cohort-runs"));
             ProgressBar progress = FileProgress.bar("Filtering", size)) {
            errors.write("line,error\n");
            outcome = filter.filter(input, output, (line, message) -> {
                try {
                    errors.write(line + ",\"" + message.replace("\"", "\"\"") + "\"\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, column, progress::stepTo, delivered::add);
            progress.stepTo(size);
            cohort = delivered.finish(cohortFile);
        }
        out.printf("%,d rows: %,d allowed, %,d excluded, %,d unreadable (see %s)%n", outcome.rows(), outcome.allowed(),
                outcome.excluded(), outcome.errors(), errorsFile);
        out.println("input sha256 " + outcome.inputSha256() + ", output sha256 " + outcome.outputSha256());
        if (server == null) {
            out.println("offline: no certificate (report these figures to the ledger to have the delivery recorded)");
            return 0;
        }
        String report = JSON.writeValueAsString(java.util.Map.of("snapshotId", snapshot.field("snapshot"),
                "rows", outcome.rows(), "allowed", outcome.allowed(), "excluded", outcome.excluded(),
                "errors", outcome.errors(), "inputSha256", outcome.inputSha256(), "outputSha256",
                outcome.outputSha256(), "cohortCommitment", outcome.cohortCommitment(),
                "cohortKeysSha256", cohort.sha256()));
        HttpResponse<String> certified = http.send(HttpRequest.newBuilder(URI.create(server + "/api/v1/extracts/reports"))
                .header("X-Api-Key", apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(report)).build(), HttpResponse.BodyHandlers.ofString());
        if (certified.statusCode() / 100 != 2) {
            out.println("the ledger did not record the delivery (" + certified.statusCode() + "): " + certified.body());
            return 1;
        }
        Path certificate = Path.of(certificateFile != null ? certificateFile
                : outFile + ".certificate.json");
        Files.writeString(certificate, certified.body());
        out.println("delivery recorded; signed certificate in " + certificate);
        // the delivered persons' keys (not their identifiers), so that they can see that their data was used
        String filterId = certified.headers().firstValue("Filter-Id")
                .orElse(JSON.readTree(certified.body()).get("filterId").asString());
        HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(URI.create(server + "/api/v1/extracts/"
                        + filterId + "/cohort")).header("X-Api-Key", apiKey)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(cohortFile)).build(), HttpResponse.BodyHandlers.ofString());
        if (uploaded.statusCode() / 100 != 2 && uploaded.statusCode() != 409) {
            out.println("the ledger refused the cohort (" + uploaded.statusCode() + "): " + uploaded.body());
            return 1;
        }
        out.println("cohort of " + cohort.count() + " persons lodged for transparency");
        return 0;
    }

    private HttpResponse<String> get(String url, String apiKey) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
