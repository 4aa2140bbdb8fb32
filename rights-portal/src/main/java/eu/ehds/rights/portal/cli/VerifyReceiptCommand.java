package eu.ehds.rights.portal.cli;

import eu.ehds.rights.portal.receipt.ReceiptVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * {@code verify-receipt --file=receipt.json --origin=<log origin> --public-key=<base64>}: checks a receipt offline,
 * with the key the person trusts (not the one the receipt names). Prints each step; exits 1 if any fails.
 */
final class VerifyReceiptCommand {

    private final PrintStream out;

    VerifyReceiptCommand(PrintStream out) {
        this.out = out;
    }

    int run(String[] args) throws IOException {
        String file = Cli.option(args, "file", null);
        String origin = Cli.option(args, "origin", null);
        String key = Cli.option(args, "public-key", null);
        if (file == null || origin == null || key == null) {
            out.println("usage: verify-receipt --file=receipt.json --origin=ORIGIN --public-key=BASE64");
            return 2;
        }
        byte[] publicKey;
        try {
            publicKey = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            out.println("--public-key is not base64");
            return 2;
        }
        ReceiptVerifier.Report report = new ReceiptVerifier(origin, publicKey).verify(Files.readString(Path.of(file)));
        for (ReceiptVerifier.Step step : report.steps()) {
            out.printf("%-10s %-6s %s%n", step.name(), step.ok() ? "ok" : "FAILED", step.detail());
        }
        out.println(report.valid() ? "receipt valid" : "receipt NOT valid");
        return report.valid() ? 0 : 1;
    }
}
