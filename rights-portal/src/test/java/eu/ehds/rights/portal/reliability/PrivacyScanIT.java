package eu.ehds.rights.portal.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.portal.support.EmbeddedLedger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other integration test (its own failsafe execution) and reads what they left: each test's log
 * output, the crash harness's and the several nodes' server logs, the embedded databases of the suites (events, log
 * leaves, checkpoints, outbox, certificates, held raw), and the Fabric network's block files (the chain's payloads). No
 * NIR (any valid one, spaced or not) and no e-mail address may appear in clear in any of them. Left aside: the allowed rows the portal
 * keeps 24 h for a data holder to download (the holder's own extract, by design).
 */
class PrivacyScanIT {

    private static final Pattern NIR = Pattern.compile(
            "(?<![0-9A-Za-z])[12] ?\\d{2} ?\\d{2} ?(?:\\d{2}|2A|2B) ?\\d{3} ?\\d{3} ?\\d{2}(?![0-9A-Za-z])");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    /** The system's own sender address is not personal. */
    private static final Set<String> NOT_PERSONAL = Set.of("no-reply@rights-ledger.localhost");
    /** The data directories of every ledger the suites ran on the embedded database, and of the nodes' shared files. */
    private static final List<String> DATABASE_DIRS = List.of(EmbeddedLedger.DIRECTORY_PREFIX, "crash-safety-",
            "anchoring-it-", "anchoring-restore-it-", "anchoring-restore-backup-", "rotation-it-", "several-nodes-",
            "witness-it-");

    @Test
    void no_nir_or_email_address_in_clear_in_logs_databases_or_the_chain() throws IOException {
        List<Path> files = new ArrayList<>();
        collect(Path.of("target/failsafe-reports"), p -> p.getFileName().toString().endsWith("-output.txt"), files);
        collect(Path.of("target/surefire-reports"), p -> p.getFileName().toString().endsWith("-output.txt"), files);
        collect(Path.of("target/crash-safety"), p -> p.getFileName().toString().endsWith(".log"), files);
        collect(Path.of("target/several-nodes"), p -> p.getFileName().toString().endsWith(".log"), files);
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path dir : tmp.filter(d -> DATABASE_DIRS.stream().anyMatch(d.getFileName().toString()::startsWith))
                    .toList()) {
                // a holder's allowed rows are its own extract, kept for its download for 24 h: not a log, event or chain
                collect(dir, p -> !p.toString().contains("/delivered/"), files);
            }
        }
        collect(Path.of("../fabric-network/.state"), p -> p.getFileName().toString().startsWith("blockfile"), files);
        assertThat(files).as("what the suite left to scan").isNotEmpty();

        List<String> found = new ArrayList<>();
        long bytes = 0;
        for (Path file : files) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            bytes += content.length();
            Matcher nir = NIR.matcher(content);
            while (nir.find()) {
                try {
                    Nir.parse(nir.group());
                    found.add(file + ": a NIR at offset " + nir.start() + " (" + mask(nir.group()) + ")");
                } catch (InvalidRequestException notANir) {
                    // digits that are not a NIR (wrong key or month)
                }
            }
            Matcher email = EMAIL.matcher(content);
            while (email.find()) {
                if (!NOT_PERSONAL.contains(email.group())) {
                    found.add(file + ": an e-mail address at offset " + email.start() + " (" + mask(email.group()) + ")");
                }
            }
        }
        System.out.printf("privacy scan: %d files, %.1f MB read, %d findings%n", files.size(), bytes / 1e6, found.size());
        assertThat(found).isEmpty();
    }

    private static void collect(Path root, java.util.function.Predicate<Path> wanted, List<Path> into) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).filter(wanted).forEach(into::add);
        }
    }

    /** Enough to find it, not enough to repeat it. */
    private static String mask(String value) {
        return value.length() <= 4 ? "****" : value.substring(0, 2) + "…" + value.substring(value.length() - 2);
    }
}
