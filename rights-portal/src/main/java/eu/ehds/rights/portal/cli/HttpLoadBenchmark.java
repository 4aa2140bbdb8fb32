package eu.ehds.rights.portal.cli;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench http}: a fixed-rate load on {@code POST /api/v1/decisions} of a running server on loopback,
 * bounded in time. Latency is measured from each request's scheduled send time, so a stalled server cannot hide
 * its queueing (no coordinated omission). Prints throughput and p50/p99/p99.9.
 *
 * <pre>{@code bench http --url=http://127.0.0.1:8080 --project=prj-… --rate=2000 --seconds=30 --user=auditor --password=…}</pre>
 */
final class HttpLoadBenchmark {

    private final PrintStream out;

    HttpLoadBenchmark(PrintStream out) {
        this.out = out;
    }

    int run(String[] args) throws Exception {
        String url = option(args, "url", "http://127.0.0.1:8080");
        URI target = URI.create(url);
        if (!target.getHost().equals("127.0.0.1") && !target.getHost().equals("localhost")) {
            out.println("bench http only targets a server on loopback");
            return 2;
        }
        String project = option(args, "project", "");
        int rate = (int) Cli.option(args, "rate", 2000);
        int seconds = (int) Cli.option(args, "seconds", 30);
        String auth = "Basic " + Base64.getEncoder().encodeToString((option(args, "user", "auditor") + ":"
                + option(args, "password", "")).getBytes(StandardCharsets.UTF_8));
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8))
                .connectTimeout(Duration.ofSeconds(2)).build();
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicLong failures = new AtomicLong();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        CompletableFuture<?>[] pending = new CompletableFuture<?>[total];
        long start = System.nanoTime() + 200_000_000L;
        long periodNanos = 1_000_000_000L / rate;
        // warm-up is the caller's job: run once with --seconds=10 before measuring
        for (int i = 0; i < total; i++) {
            int index = i;
            long scheduled = start + i * periodNanos;
            String body = "{\"person\":\"" + HexFormat.of().toHexDigits(DecisionBenchmark.mix(i))
                    + HexFormat.of().toHexDigits(DecisionBenchmark.mix(~i)) + "\",\"projectId\":\"" + project + "\"}";
            CompletableFuture<Void> done = new CompletableFuture<>();
            pending[i] = done;
            scheduler.schedule(() -> client.sendAsync(HttpRequest.newBuilder(URI.create(url + "/api/v1/decisions"))
                                    .header("Content-Type", "application/json").header("Authorization", auth)
                                    .timeout(Duration.ofSeconds(10))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        latencies[index] = System.nanoTime() - scheduled;
                        if (error != null || response.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                        done.complete(null);
                    }), scheduled - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        CompletableFuture.allOf(pending).get(seconds + 30L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        scheduler.shutdownNow();
        Arrays.sort(latencies);
        out.printf("%d requests at %d/s for %d s on %s: %.0f completed/s, %d failed%n", total, rate, seconds, url,
                total / elapsed, failures.get());
        out.printf("latency from scheduled send: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                latencies[total / 2] / 1e6, latencies[(int) (total * 0.99)] / 1e6,
                latencies[(int) (total * 0.999)] / 1e6, latencies[total - 1] / 1e6);
        return failures.get() == 0 ? 0 : 1;
    }

    private static String option(String[] args, String name, String defaultValue) {
        for (String arg : args) {
            if (arg.startsWith("--" + name + "=")) {
                return arg.substring(name.length() + 3);
            }
        }
        return defaultValue;
    }
}
