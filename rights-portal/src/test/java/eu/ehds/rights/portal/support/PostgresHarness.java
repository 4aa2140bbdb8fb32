package eu.ehds.rights.portal.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL for the test suite, started once per JVM. {@code LEDGER_TEST_POSTGRES_URL} (with
 * {@code _USER} and {@code _PASSWORD}) names a server the CI script started; otherwise a throwaway cluster is
 * created from the Debian binaries on a free loopback port and removed at exit. Each caller gets a database of
 * its own.
 */
public final class PostgresHarness {

    public record Database(String url, String user, String password) {
    }

    private static Server server;

    private record Server(String adminUrl, String host, String user, String password) {
    }

    private PostgresHarness() {
    }

    public static synchronized Database newDatabase() {
        if (server == null) {
            server = start();
        }
        String name = "ledger_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(server.adminUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + server.adminUrl(), e);
        }
        Server owner = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(owner, name)));
        return new Database("jdbc:postgresql://" + server.host() + "/" + name, server.user(), server.password());
    }

    private static void drop(Server owner, String name) {
        try (Connection c = DriverManager.getConnection(owner.adminUrl(), owner.user(), owner.password());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            // best effort at exit; a throwaway cluster is removed anyway
        }
    }

    private static Server start() {
        String url = System.getenv("LEDGER_TEST_POSTGRES_URL");
        if (url != null && !url.isBlank()) {
            String host = url.replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
            return new Server(url, host, env("LEDGER_TEST_POSTGRES_USER", "ledger"),
                    env("LEDGER_TEST_POSTGRES_PASSWORD", "ledger"));
        }
        Path bin = findBinaries();
        try {
            Path dir = Files.createTempDirectory("ledger-pg-");
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                run(List.of("chown", "postgres", dir.toString()));
            }
            run(asPostgres(root, bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "ledger",
                    "--auth=trust", "-E", "UTF8", "--no-sync"));
            run(asPostgres(root, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-l",
                    dir.resolve("server.log").toString(), "-o",
                    "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir + " -c fsync=off", "start"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(root, bin, dir)));
            String host = "127.0.0.1:" + port;
            return new Server("jdbc:postgresql://" + host + "/postgres", host, "ledger", "");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a PostgreSQL test cluster", e);
        }
    }

    private static Path findBinaries() {
        Path base = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.exists(base) ? Files.list(base) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed: run 'bash .ci/run' "
                            + "(it installs it) or set LEDGER_TEST_POSTGRES_URL to a server the tests may use"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void stop(boolean root, Path bin, Path dir) {
        try {
            run(asPostgres(root, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m",
                    "immediate", "stop"));
        } catch (RuntimeException e) {
            // best effort at exit
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at exit
        }
    }

    private static List<String> asPostgres(boolean root, String... command) {
        List<String> full = new ArrayList<>();
        if (root) { // initdb refuses to run as root
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("'" + String.join(" ", command) + "' failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String env(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
