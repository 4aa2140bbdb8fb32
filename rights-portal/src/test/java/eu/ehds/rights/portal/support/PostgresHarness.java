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
 * its own. A test that stops PostgreSQL under the application takes a {@link Cluster} of its own instead.
 */
public final class PostgresHarness {

    public record Database(String url, String user, String password) {
    }

    private record Server(String adminUrl, String host, String user, String password) {

        Database newDatabase() {
            String name = "ledger_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create a test database on " + adminUrl, e);
            }
            return new Database("jdbc:postgresql://" + host + "/" + name, user, password);
        }

        void drop(Database db) {
            String name = db.url().substring(db.url().lastIndexOf('/') + 1);
            try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                // best effort at exit; a throwaway cluster is removed anyway
            }
        }
    }

    private static Server shared;

    private PostgresHarness() {
    }

    public static synchronized Database newDatabase() {
        if (shared == null) {
            String url = System.getenv("LEDGER_TEST_POSTGRES_URL");
            if (url != null && !url.isBlank()) {
                String host = url.replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
                shared = new Server(url, host, env("LEDGER_TEST_POSTGRES_USER", "ledger"),
                        env("LEDGER_TEST_POSTGRES_PASSWORD", "ledger"));
            } else {
                Cluster cluster = Cluster.start(false);
                Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
                shared = cluster.server;
            }
        }
        Server owner = shared;
        Database db = owner.newDatabase();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> owner.drop(db)));
        return db;
    }

    /**
     * A PostgreSQL cluster of the caller's own, from the Debian binaries, on a free loopback port, with fsync on as
     * in production. {@link #crash()} stops it the way a crash would (no shutdown checkpoint, so the next start
     * replays its write-ahead log); {@link #restart()} starts it again on the same port and files.
     */
    public static final class Cluster implements AutoCloseable {

        private final Path bin;
        private final Path dir;
        private final int port;
        private final boolean root;
        private final boolean durable;
        private final Server server;

        private Cluster(Path bin, Path dir, int port, boolean root, boolean durable) {
            this.bin = bin;
            this.dir = dir;
            this.port = port;
            this.root = root;
            this.durable = durable;
            String host = "127.0.0.1:" + port;
            this.server = new Server("jdbc:postgresql://" + host + "/postgres", host, "ledger", "");
        }

        public static Cluster start(boolean durable) {
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
                Cluster cluster = new Cluster(bin, dir, port, root, durable);
                cluster.pg("initdb", "-D", dir.resolve("data").toString(), "-U", "ledger", "--auth=trust", "-E",
                        "UTF8", "--no-sync");
                cluster.restart();
                return cluster;
            } catch (IOException e) {
                throw new IllegalStateException("cannot start a PostgreSQL test cluster", e);
            }
        }

        public Database newDatabase() {
            return server.newDatabase();
        }

        /** Kills the server: connections drop at once and the next start recovers from the write-ahead log. */
        public void crash() {
            pg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        }

        public void restart() {
            pg("pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-l", dir.resolve("server.log").toString(), "-o",
                    "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir + (durable ? "" : " -c fsync=off"),
                    "start");
        }

        @Override
        public void close() {
            try {
                crash();
            } catch (RuntimeException e) {
                // already stopped
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort
            }
        }

        private void pg(String program, String... args) {
            List<String> full = new ArrayList<>();
            if (root) { // initdb and pg_ctl refuse to run as root
                full.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            full.add(bin.resolve(program).toString());
            full.addAll(List.of(args));
            run(full);
        }
    }

    private static Path findBinaries() {
        Path base = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.exists(base) ? Files.list(base) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed: run 'bash .ci/test' "
                            + "(it installs it) or set LEDGER_TEST_POSTGRES_URL to a server the tests may use"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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
