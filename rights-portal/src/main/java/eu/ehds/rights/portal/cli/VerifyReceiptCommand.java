package eu.ehds.rights.portal.cli;

import eu.ehds.rights.portal.receipt.ReceiptVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verify-receipt --file=receipt.json --origin=<log origin> --public-key=<base64>}: checks a receipt offline,
 * with the key the person trusts (not the one the receipt names). Prints each step; exits 1 if any fails.
 */
@Command(name = "verify-receipt", mixinStandardHelpOptions = true,
        description = "Check a receipt offline with the log key you trust; exit 1 if any step fails.")
final class VerifyReceiptCommand implements Callable<Integer> {

    @Option(names = "--file", required = true, description = "the receipt (JSON)")
    private Path file;

    @Option(names = "--origin", required = true, description = "the log's origin")
    private String origin;

    @Option(names = "--public-key", required = true, description = "the log's public key (base64)")
    private String key;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        byte[] publicKey;
        try {
            publicKey = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            out.println("--public-key is not base64");
            return 2;
        }
        ReceiptVerifier.Report report = new ReceiptVerifier(origin, publicKey).verify(Files.readString(file));
        for (ReceiptVerifier.Step step : report.steps()) {
            out.printf("%-10s %-6s %s%n", step.name(), step.ok() ? "ok" : "FAILED", step.detail());
        }
        out.println(report.valid() ? "receipt valid" : "receipt NOT valid");
        return report.valid() ? 0 : 1;
    }
}
