package eu.ehds.rights.portal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.portal.support.LoopbackPorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OCI image Jib wrote ({@code -Pimage}: {@code target/jib-image.tar}) started as a container runtime would,
 * without one: its layers unpacked in order into a root, the configuration's entrypoint and environment run inside it
 * with {@code chroot} in new mount and PID namespaces (with {@code /proc}, as a runtime mounts it). The container then
 * has nothing of this machine but the kernel and the loopback network: it must serve the portal on its embedded
 * default and answer its readiness check.
 */
class ImageIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path IMAGE = Path.of("target/jib-image.tar");

    @Test
    void the_image_holds_its_own_java_runtime_and_starts_the_ledger_on_its_embedded_default() throws Exception {
        assertThat(IMAGE).as("mvn -Pimage package writes it").isRegularFile();
        Path work = Files.createTempDirectory("image-it-");
        run(List.of("tar", "-xf", IMAGE.toAbsolutePath().toString(), "-C", work.toString()));
        JsonNode manifest = JSON.readTree(Files.readString(work.resolve("manifest.json"))).get(0);
        JsonNode config = JSON.readTree(Files.readString(work.resolve(manifest.get("Config").asString())))
                .get("config");
        Path root = Files.createDirectories(work.resolve("root"));
        for (JsonNode layer : manifest.get("Layers")) {
            run(List.of("tar", "-xzf", work.resolve(layer.asString()).toString(), "-C", root.toString()));
        }
        Files.createDirectories(root.resolve("proc"));
        assertThat(root.resolve("opt/java/bin/java")).isExecutable();
        assertThat(config.get("User").asString()).isEqualTo("10001:10001");

        int port = LoopbackPorts.free();
        List<String> command = new ArrayList<>(List.of("unshare", "--map-root-user", "--mount", "--pid", "--fork",
                "--kill-child",
                "sh", "-c", "mount -t proc proc \"$0/proc\" && exec \"$@\"", root.toString(), "env", "-i"));
        config.get("Env").forEach(e -> command.add(e.asString())); // the image's environment, nothing of this one
        command.addAll(List.of("PORT=" + port, "LEDGER_DATA_DIR=/tmp/data", onPath("chroot"),
                root.toString()));
        config.get("Entrypoint").forEach(e -> command.add(e.asString()));
        Path log = work.resolve("container.log");
        Process container = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline && container.isAlive()) {
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException e) {
                    Thread.sleep(500); // not listening yet
                }
            }
            assertThat(status).as(Files.readString(log)).isEqualTo(200);
            String home = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Accept-Language", "fr").build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(home).contains("lang=\"fr\"");
        } finally {
            container.destroy();
            container.waitFor(20, TimeUnit.SECONDS);
            container.destroyForcibly();
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream out = p.getInputStream()) {
            output = new String(out.readAllBytes());
        }
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static String onPath(String program) {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program).toString();
            }
        }
        throw new IllegalStateException(program + " is not on the PATH");
    }

}
