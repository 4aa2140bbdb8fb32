package eu.ehds.rights.portal.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's HAProxy in front of nodes of the application, on loopback, configured as the README's "Running several
 * nodes" says: round robin, a node is taken out when its readiness check fails twice (checked every 500 ms) and put
 * back after two passes, a request is retried on another node only when it could not be sent at all (connection
 * refused: nothing reached the application), server timeouts above the database's lock timeout.
 */
public final class LoadBalancer implements AutoCloseable {

    private final int port = LoopbackPorts.free();
    private final int statsPort = LoopbackPorts.free();
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public LoadBalancer(List<Integer> nodePorts, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder config = new StringBuilder("""
                global
                    maxconn 4000

                defaults
                    mode http
                    option httplog
                    timeout connect 1s
                    timeout client 60s
                    timeout server 60s
                    timeout queue 10s
                    # resend only what never reached a node; anything else is the client's to retry, with its key
                    retries 2
                    retry-on conn-failure
                    option redispatch

                listen stats
                    bind 127.0.0.1:%d
                    stats enable
                    stats uri /stats

                frontend ledger
                    bind 127.0.0.1:%d
                    default_backend nodes

                backend nodes
                    balance roundrobin
                    option httpchk
                    http-check send meth GET uri /actuator/health/readiness
                    http-check expect status 200
                    default-server inter 500ms fall 2 rise 2
                """.formatted(statsPort, port));
        for (int i = 0; i < nodePorts.size(); i++) {
            config.append("    server node").append(i + 1).append(" 127.0.0.1:").append(nodePorts.get(i))
                    .append(" check\n");
        }
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        process = new ProcessBuilder("haproxy", "-f", file.toString(), "-db").redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    }

    public int port() {
        return port;
    }

    /** Each node's state as HAProxy sees it ({@code UP}, {@code DOWN}, ...), by server name. */
    public Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        try {
            HttpResponse<String> csv = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort
                    + "/stats;csv")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            for (String line : csv.body().split("\n")) {
                String[] f = line.split(",");
                if (f.length > 17 && f[0].equals("nodes") && f[1].startsWith("node")) {
                    states.put(f[1], f[17]);
                }
            }
        } catch (IOException e) {
            // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return states;
    }

    /** Waits until HAProxy sees the named node in that state (e.g. "node2", "UP"). */
    public void awaitState(String server, String state, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!states().getOrDefault(server, "").startsWith(state)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("haproxy exited: see its log");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(server + " is not " + state + " after " + within + ": " + states());
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

}
