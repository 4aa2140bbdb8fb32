package eu.ehds.rights.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.DemoPeople;
import eu.ehds.rights.portal.support.EmbeddedLedger;
import eu.ehds.rights.portal.support.Nirs;
import eu.ehds.rights.portal.support.Pause;
import eu.ehds.rights.portal.support.PortalSession;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Citizens whose identity provider gives a pivot identity, not a NIR: the portal asks a NIR resolver over HTTP (the
 * documented contract), here a real HTTP server started by the test on loopback standing in for an INSi gateway.
 */
@ActiveProfiles("local-idp")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NirResolverIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The NIR the resolver finds for Camille's pivot identity: not the one the demo provider knows her by. */
    private static final String RESOLVED_NIR = Nirs.anyNir();
    private static final List<JsonNode> ASKED = new CopyOnWriteArrayList<>();
    private static final HttpServer RESOLVER = resolver();

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "nir-resolver-it");
        registry.add("portal.sign-ins-per-minute", () -> "10000");
        registry.add("portal.nir-resolver.url", () -> "http://127.0.0.1:" + RESOLVER.getAddress().getPort() + "/nir");
        registry.add("portal.nir-resolver.token", () -> "resolver-test-token");
    }

    @LocalServerPort
    int port;

    /** Camille is known to the resolver; Jean is not; for Louis it fails. */
    private static HttpServer resolver() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/nir", exchange -> {
                JsonNode asked = JSON.readTree(exchange.getRequestBody().readAllBytes());
                ASKED.add(asked);
                boolean authorised = "Bearer resolver-test-token".equals(exchange.getRequestHeaders()
                        .getFirst("Authorization"));
                String given = asked.path("given_name").asString("");
                int status = !authorised ? 401 : given.equals("Camille") ? 200 : given.equals("Jean") ? 404 : 500;
                byte[] body = status == 200 ? ("{\"nir\":\"" + RESOLVED_NIR + "\"}").getBytes(StandardCharsets.UTF_8)
                        : new byte[0];
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    exchange.getResponseBody().write(body);
                }
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void stopResolver() {
        RESOLVER.stop(0);
    }

    @Test
    void a_citizen_is_known_by_the_nir_the_resolver_finds_for_their_pivot_identity() {
        Api api = new Api(port);
        String project = api.postAsAdmin("/api/v1/projects", "{\"title\":\"Resolver\",\"controller\":\"Inserm\","
                + "\"purposeCategory\":\"PUBLIC_HEALTH\",\"dataHolders\":[\"CNAM\"],\"datasets\":[\"DCIR\"],"
                + "\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2030-01-01\",\"idempotencyKey\":\"resolver-prj\"}")
                .json().get("projectId").asString();
        api.postAsAdmin("/api/v1/projects/" + project + "/permit", "{\"permitId\":\"P\",\"idempotencyKey\":"
                + "\"resolver-permit\"}");
        Pause.millis(5);

        PortalSession camille = new PortalSession(port);
        PortalSession.Page landed = camille.signInAsCitizen("camille");
        assertThat(landed.status()).as(landed.body()).isEqualTo(200);
        camille.optOut(null);

        JsonNode asked = ASKED.stream().filter(a -> a.path("given_name").asString("").equals("Camille")).findFirst()
                .orElseThrow();
        assertThat(asked.get("family_name").asString()).isEqualTo("Martin");
        assertThat(asked.get("birthdate").asString()).isEqualTo("1985-03-14");
        assertThat(asked.get("gender").asString()).isEqualTo("female");
        assertThat(asked.get("birthplace").asString()).isEqualTo("75056");
        assertThat(asked.has("nir")).as("the provider carries no NIR when a resolver is configured").isFalse();

        assertThat(reason(api, RESOLVED_NIR, project)).isEqualTo("OPT_OUT_AFTER_PERMIT"); // opted out after the permit
        assertThat(reason(api, DemoPeople.CAMILLE_NIR, project)).isEqualTo("NO_OPT_OUT");
    }

    @Test
    void a_citizen_the_resolver_does_not_know_is_told_what_to_do() {
        PortalSession jean = new PortalSession(port);
        PortalSession.Page page = jean.signInAsCitizen("jean");
        assertThat(page.body()).contains("could not find your health insurance number");
        assertThat(jean.get("/my").status()).as("not signed in").isEqualTo(302);
    }

    @Test
    void a_resolver_that_fails_is_reported_as_unavailable() {
        PortalSession louis = new PortalSession(port);
        assertThat(louis.signInAsCitizen("louis").body()).contains("is unavailable");
    }

    private static String reason(Api api, String nir, String project) {
        for (int i = 0; i < 100; i++) {
            JsonNode decision = api.postAsAdmin("/api/v1/decisions", "{\"person\":\"" + nir + "\",\"projectId\":\""
                    + project + "\"}").json();
            if (!decision.path("reason").asString("").equals("NO_OPT_OUT") || nir.equals(DemoPeople.CAMILLE_NIR)) {
                return decision.get("reason").asString();
            }
            Pause.millis(100); // the read model follows the log
        }
        return "NO_OPT_OUT";
    }
}
