package eu.ehds.rights.portal.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real anchoring network of {@code fabric-network/}, brought up once per test JVM with its own script (which
 * builds Fabric's binaries on first use, so the first run needs Go and the Go module proxy). Tests may stop and
 * start single nodes; the network is left running for the next suite (the script's {@code down} stops it).
 */
public final class FabricNetwork {

    private static final Path SCRIPT = locate();
    private static boolean up;

    private FabricNetwork() {
    }

    /** Starts the network if needed; returns the connection file the ledger and auditors use. */
    public static synchronized Path up() {
        if (!up) {
            run(List.of("up"), 900);
            up = true;
        }
        Path connection = SCRIPT.getParent().resolve(".state/connection.properties");
        if (!Files.isRegularFile(connection)) {
            throw new IllegalStateException("network.sh up wrote no " + connection);
        }
        return connection;
    }

    public static void stop(String node) {
        run(List.of("stop", node), 120);
    }

    public static void start(String node) {
        run(List.of("start", node), 120);
    }

    private static void run(List<String> args, int timeoutSeconds) {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(args);
        try {
            Path output = Files.createTempFile("fabric-network-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("network.sh " + args + " did not finish in " + timeoutSeconds + " s");
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("network.sh " + args + " failed:\n" + log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + SCRIPT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("fabric-network/network.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException("fabric-network/network.sh not found above " + Path.of("").toAbsolutePath());
    }
}
