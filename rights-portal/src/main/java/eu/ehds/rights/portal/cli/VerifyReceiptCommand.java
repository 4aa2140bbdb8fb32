package eu.ehds.rights.portal.cli;

import eu.ehds.rights.ledger.checkpoint.CosignatureVerifier;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.portal.receipt.ReceiptVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verify-receipt --file=receipt.json --origin=<log origin> --public-key=<base64>}: checks a receipt offline,
 * with the key the person trusts (not the one the receipt names), or with the log's key history saved from
 * {@code GET /api/v1/log/keys} ({@code --keys=keys.json}: each key for the tree sizes it signed). Prints each step;
 * exits 1 if any fails.
 */
@Command(name = "verify-receipt", mixinStandardHelpOptions = true,
        description = "Check a receipt offline with the log key you trust; exit 1 if any step fails.")
final class VerifyReceiptCommand implements Callable<Integer> {

    @Option(names = "--file", required = true, description = "the receipt (JSON)")
    private Path file;

    @Option(names = "--origin", description = "the log's origin (with --public-key)")
    private String origin;

    @Option(names = "--public-key", description = "a log key you trust (base64), repeatable")
    private java.util.List<String> keys;

    @Option(names = "--keys", description = "the log's key history as GET /api/v1/log/keys serves it (JSON file)")
    private Path history;

    @Option(names = "--witness-key", description = "a witness whose cosignature the checkpoint must carry (its "
            + "verifier key, <name>+<id>+<base64>), repeatable")
    private java.util.List<String> witnessKeys;

    @Spec
    private CommandSpec spec;

    private static final tools.jackson.databind.ObjectMapper JSON = new tools.jackson.databind.ObjectMapper();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if ((history == null) == (keys == null || keys.isEmpty()) || keys != null && origin == null) {
            out.println("verify-receipt: give --keys=FILE, or --origin with one or more --public-key (see --help)");
            return 2;
        }
        NoteVerifier trusted;
        java.util.List<CosignatureVerifier> witnesses;
        try {
            trusted = history != null ? TrustedKeys.served(JSON.readTree(Files.readString(history)))
                    : TrustedKeys.given(origin, keys);
            witnesses = witnessKeys == null ? java.util.List.of()
                    : witnessKeys.stream().map(CosignatureVerifier::parse).toList();
        } catch (IllegalArgumentException | tools.jackson.core.JacksonException e) {
            out.println("verify-receipt: the keys given are not usable: " + e.getMessage());
            return 2;
        }
        ReceiptVerifier.Report report = new ReceiptVerifier(trusted, witnesses).verify(Files.readString(file));
        for (ReceiptVerifier.Step step : report.steps()) {
            out.printf("%-10s %-6s %s%n", step.name(), step.ok() ? "ok" : "FAILED", step.detail());
        }
        out.println(report.valid() ? "receipt valid" : "receipt NOT valid");
        return report.valid() ? 0 : 1;
    }
}
