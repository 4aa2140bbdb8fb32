package eu.ehds.rights.portal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.EmbeddedLedger;
import eu.ehds.rights.portal.support.Nirs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The log read as C2SP tlog-tiles by a standard client: the transparency-dev modules' own Go client
 * ({@code src/test/go/tlogclient}, on {@code github.com/transparency-dev/tessera/client}) against the running
 * application, from the checkpoint and tiles alone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TlogTilesIT {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "tlog-tiles-it");
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_standard_client_verifies_inclusion_and_consistency_from_tiles_alone() throws Exception {
        // given a log of more than two full tiles, and a checkpoint stored along the way
        Api api = new Api(port);
        for (int i = 0; i < 300; i++) {
            optOut(api);
        }
        long earlier = size(api.get("/api/v1/log/checkpoint").body());
        for (int i = 0; i < 300; i++) {
            optOut(api);
        }
        String verifierKey = api.get("/api/v1/log/public-key").json().get("verifierKey").asString();

        // when the transparency-dev client reads it
        List<String> command = new ArrayList<>(List.of("go", "run", ".", "-url",
                "http://127.0.0.1:" + port + "/api/v1/log/", "-vkey", verifierKey, "-auth",
                Api.basic("auditor", Api.AUDITOR_PASSWORD), "-old", Long.toString(earlier), "-samples", "40", "-full"));
        Process client = new ProcessBuilder(command).directory(Path.of("src/test/go/tlogclient").toFile())
                .redirectErrorStream(true).start();
        String output = new String(client.getInputStream().readAllBytes());
        assertThat(client.waitFor(5, TimeUnit.MINUTES)).isTrue();

        // then every proof it built from tiles verifies against the signed checkpoint
        assertThat(client.exitValue()).as(output).isZero();
        assertThat(output).contains("40 inclusion proofs from tiles verified",
                "consistency proof from the stored checkpoint at size " + earlier + " verified",
                "root recomputed");
    }

    @Test
    void full_tiles_are_immutable_entry_bundles_are_for_auditors_and_bad_paths_are_problems() throws Exception {
        Api api = new Api(port);
        while (size(api.get("/api/v1/log/checkpoint").body()) < 257) {
            optOut(api);
        }
        HttpResponse<byte[]> tile = get("/api/v1/log/tile/0/000", null);
        assertThat(tile.statusCode()).isEqualTo(200);
        assertThat(tile.body()).hasSize(256 * 32);
        assertThat(tile.headers().firstValue("Cache-Control").orElse("")).contains("immutable", "public");
        assertThat(get("/api/v1/log/tile/0/000.p/7", null).body()).hasSize(7 * 32)
                .isEqualTo(java.util.Arrays.copyOf(tile.body(), 7 * 32));

        HttpResponse<byte[]> anonymous = get("/api/v1/log/tile/entries/000", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        HttpResponse<byte[]> bundle = get("/api/v1/log/tile/entries/000", Api.basic("auditor", Api.AUDITOR_PASSWORD));
        assertThat(bundle.statusCode()).isEqualTo(200);
        int first = ((bundle.body()[0] & 0xFF) << 8) | (bundle.body()[1] & 0xFF);
        assertThat(new String(bundle.body(), 2, first, java.nio.charset.StandardCharsets.UTF_8)).startsWith("{");

        for (String bad : List.of("0/x000/001", "0/1", "0/000.p/256", "0/000.p/0", "abc/000")) {
            HttpResponse<byte[]> refused = get("/api/v1/log/tile/" + bad, null);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).as(bad)
                    .startsWith("application/problem+json");
        }
        assertThat(get("/api/v1/log/tile/0/x001/000", null).statusCode()).isEqualTo(404); // not written yet
    }

    private HttpResponse<byte[]> get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void optOut(Api api) {
        Api.Response r = api.postAsAdmin("/api/v1/opt-outs", "{\"person\":\"" + Nirs.anyNir() + "\",\"scope\":"
                + "{\"type\":\"GLOBAL\"},\"channel\":\"POST\",\"idempotencyKey\":\"tiles-" + UUID.randomUUID() + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static long size(String checkpoint) {
        return Long.parseLong(checkpoint.split("\n")[1]);
    }
}
