package eu.ehds.rights.portal.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The auditor organisation's witness: transparency-dev's omniwitness, built by {@code fabric-network/witness.sh}
 * from the pinned Go module, run as a process on a loopback port with its own key and SQLite database, told of one
 * log (origin and verifier key). It can be killed and started again on the same database.
 */
public final class Witness implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;
    private final String verifierKey;
    private Process process;

    private Witness(Path bin, Path dir, int port, String verifierKey) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.verifierKey = verifierKey;
    }

    /** Builds the witness if needed, gives it a new key, and tells it of the log; not started yet. */
    public static Witness create(Path dir, String name, String logOrigin, String logVerifierKey) throws Exception {
        Path bin = Path.of(run(List.of("bash", script().toString(), "build"), 900).strip());
        Files.createDirectories(dir);
        run(List.of(bin.resolve("generate_keys").toString(), "--origin=" + name,
                "--out_priv=" + dir.resolve("witness.sec"), "--out_pub=" + dir.resolve("witness.vkey")), 60);
        Files.writeString(dir.resolve("logs.yaml"), "Logs:\n  - Origin: \"" + logOrigin + "\"\n    PublicKey: \""
                + logVerifierKey + "\"\n    URL: \"http://127.0.0.1/unused\"\n");
        return new Witness(bin, dir, LoopbackPorts.free(),
                Files.readString(dir.resolve("witness.vkey"), StandardCharsets.US_ASCII).strip());
    }

    /** The witness's verifier key ({@code <name>+<id>+base64(0x04 ‖ key)}). */
    public String verifierKey() {
        return verifierKey;
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    public void start() throws Exception {
        process = new ProcessBuilder(bin.resolve("omniwitness").toString(), "--listen=127.0.0.1:" + port,
                "--metrics_listen=", "--db_file=" + dir.resolve("witness.db"),
                "--private_key_path=" + dir.resolve("witness.sec"), "--additional_logs=" + dir.resolve("logs.yaml"),
                "--logtostderr")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("witness.log")
                        .toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the witness did not start; see " + dir.resolve("witness.log"));
                }
                Thread.sleep(100);
            }
        }
    }

    /** Kills the process (SIGKILL): what it cosigned stays in its database. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static Path script() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path script = d.resolve("fabric-network/witness.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException("fabric-network/witness.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static String run(List<String> command, int timeoutSeconds) throws Exception {
        Path output = Files.createTempFile("witness-", ".log");
        Process p = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + Files.readString(output));
        }
        return Files.readString(output, StandardCharsets.UTF_8);
    }
}
