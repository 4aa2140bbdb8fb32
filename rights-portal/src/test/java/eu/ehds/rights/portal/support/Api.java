package eu.ehds.rights.portal.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the application under test, on loopback. */
public final class Api {

    public static final String ADMIN_PASSWORD = "admin-test-password";
    public static final String AUDITOR_PASSWORD = "auditor-test-password";

    public record Response(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            return MAPPER.readTree(body);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Response postAsAdmin(String path, String json) {
        return post(path, json, "admin", ADMIN_PASSWORD);
    }

    public Response post(String path, String json, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return send(authenticated(request, user, password));
    }

    /** Posts a CSV file as staff (the registry import). */
    public Response postCsvAsAdmin(String path, String csv) {
        return send(authenticated(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)), "admin", ADMIN_PASSWORD));
    }

    public Response postWithApiKey(String path, String body, String apiKey) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("X-Api-Key", apiKey)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response postJsonWithApiKey(String path, String json, String apiKey) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("X-Api-Key", apiKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response getWithApiKey(String path, String apiKey) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("X-Api-Key", apiKey).GET());
    }

    public Response send(String method, String path, String user, String password) {
        return send(authenticated(HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody()), user, password));
    }

    public JsonNode parse(String json) {
        return MAPPER.readTree(json);
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** A GET as the admin asking for the given media types. */
    public Response getAccepting(String path, String accept) {
        return send(authenticated(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).GET(),
                "admin", ADMIN_PASSWORD));
    }

    public Response get(String path, String user, String password) {
        return send(authenticated(HttpRequest.newBuilder(URI.create(base + path)).GET(), user, password));
    }

    /** Waits until the decision read model has caught up with the log (it follows the log a little behind). */
    public void awaitDecisions() {
        for (int i = 0; i < 100; i++) {
            if (get("/api/v1/decisions/status", "admin", ADMIN_PASSWORD).json().get("lag").asLong() == 0) {
                return;
            }
            Pause.millis(100);
        }
        throw new IllegalStateException("the decision read model did not catch up");
    }

    /** The HTTP Basic {@code Authorization} header value for a staff account. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpRequest.Builder authenticated(HttpRequest.Builder request, String user, String password) {
        if (user != null) {
            request.header("Authorization", basic(user, password));
        }
        return request;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
