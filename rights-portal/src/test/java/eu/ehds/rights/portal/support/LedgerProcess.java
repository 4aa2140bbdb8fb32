package eu.ehds.rights.portal.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The application jar run as a process of its own, as in production, on PostgreSQL or on its embedded default (H2 in
 * the data directory, as the README's first command runs it), so that tests can kill it with SIGKILL and start it again
 * on the same database and data directory. Each run's output is kept under {@code logs}.
 */
public final class LedgerProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target/rights-portal.jar");

    private final Map<String, String> environment;
    private final Path logs;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int runs;

    /** On PostgreSQL. */
    public LedgerProcess(PostgresHarness.Database db, Path dataDir, String pseudonymKey, Path logs) {
        this(db, dataDir, pseudonymKey, logs, Map.of());
    }

    /** On PostgreSQL, with more settings in the environment (one node of several). */
    public LedgerProcess(PostgresHarness.Database db, Path dataDir, String pseudonymKey, Path logs,
                         Map<String, String> settings) {
        this(Map.of("LEDGER_DATABASE_URL", db.url(), "LEDGER_DATABASE_USER", db.user(),
                "LEDGER_DATABASE_PASSWORD", db.password()), dataDir, pseudonymKey, logs);
        environment.putAll(settings);
    }

    /** On the embedded default: no database settings at all, as the README's first command. */
    public static LedgerProcess embedded(Path dataDir, String pseudonymKey, Path logs) {
        return new LedgerProcess(Map.of(), dataDir, pseudonymKey, logs);
    }

    /** On the embedded default, with more settings in the environment. */
    public static LedgerProcess embedded(Path dataDir, String pseudonymKey, Path logs, Map<String, String> settings) {
        LedgerProcess process = new LedgerProcess(Map.of(), dataDir, pseudonymKey, logs);
        process.environment.putAll(settings);
        return process;
    }

    private LedgerProcess(Map<String, String> database, Path dataDir, String pseudonymKey, Path logs) {
        this.port = LoopbackPorts.free();
        this.logs = logs;
        this.environment = new HashMap<>(database);
        environment.putAll(Map.of("LEDGER_DATA_DIR", dataDir.toString(),
                "LEDGER_PSEUDONYM_KEY", pseudonymKey, "PORT", Integer.toString(port),
                "LEDGER_ADMIN_PASSWORD", Api.ADMIN_PASSWORD, "LEDGER_AUDITOR_PASSWORD", Api.AUDITOR_PASSWORD,
                "AXONIQ_UPDATE_CHECKER_DISABLED", "true"));
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the integration tests run after mvn package");
        }
    }

    /** Sets one more variable of the environment, for the next start. */
    public synchronized void set(String name, String value) {
        environment.put(name, value);
    }

    public int port() {
        return port;
    }

    /** Starts the server and waits until it answers its health check. */
    public synchronized void start() throws IOException, InterruptedException {
        Files.createDirectories(logs);
        ProcessBuilder builder = new ProcessBuilder(command(List.of())).redirectErrorStream(true)
                .redirectOutput(logs.resolve("run-" + (++runs) + ".log").toFile());
        builder.environment().putAll(environment);
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the ledger exited at start: see " + logs);
            }
            try {
                HttpResponse<Void> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        signal("QUIT"); // a thread dump into its log, to show where it stands
        Thread.sleep(500);
        throw new IllegalStateException("the ledger did not become healthy in 150 s: see " + logs);
    }

    /** Whether the jar runs on its embedded H2 database, which only one process may open at a time. */
    public boolean embedded() {
        return !environment.containsKey("LEDGER_DATABASE_URL");
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGSTOP: the process freezes where it is, connections open, as under a long pause or a hung host. */
    public synchronized void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public synchronized void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " failed");
        }
    }

    /** SIGKILL: no shutdown hook, no flush, whatever it was doing. */
    public synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Runs a command of the jar (such as {@code verify}) on the same database; returns its exit code and output. */
    public Map.Entry<Integer, String> command(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(logs, "command-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command(List.of(args))).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().putAll(environment);
        Process p = builder.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("command " + String.join(" ", args) + " did not finish");
        }
        return Map.entry(p.exitValue(), Files.readString(out));
    }

    private static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", JAR.toString()));
        command.addAll(args);
        return command;
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

}
