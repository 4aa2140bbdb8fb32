package eu.ehds.rights.portal.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The axe-core accessibility engine (WCAG 2.1 A and AA rules), fetched once from the npm registry with {@code npm
 * pack} at a pinned version into {@code ~/.cache/rights-ledger} (never into the repository), for the browser tests.
 */
public final class Axe {

    static final String VERSION = "4.11.0";
    private static String source;

    private Axe() {
    }

    public static synchronized String source() {
        if (source == null) {
            Path dir = Path.of(System.getProperty("user.home"), ".cache", "rights-ledger", "axe-core-" + VERSION);
            Path script = dir.resolve("package/axe.min.js");
            try {
                if (!Files.isRegularFile(script)) {
                    Files.createDirectories(dir);
                    run(dir, List.of("npm", "pack", "--silent", "axe-core@" + VERSION));
                    run(dir, List.of("tar", "xzf", "axe-core-" + VERSION + ".tgz"));
                }
                source = Files.readString(script);
            } catch (IOException e) {
                throw new IllegalStateException("cannot get axe-core " + VERSION + " (npm pack needs the npm registry)", e);
            }
        }
        return source;
    }

    private static void run(Path dir, List<String> command) throws IOException {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
