package eu.ehds.rights.portal.web;

import static eu.ehds.rights.portal.support.DemoPeople.CAMILLE_NIR;
import static eu.ehds.rights.portal.support.DemoPeople.JEAN_NIR;
import static eu.ehds.rights.portal.support.DemoPeople.LOUIS_NIR;
import static eu.ehds.rights.portal.support.DemoPeople.NADIA_NIR;
import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.portal.security.HolderAccounts;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.EmbeddedLedger;
import eu.ehds.rights.portal.support.Pause;
import eu.ehds.rights.portal.support.PortalSession;
import eu.ehds.rights.projections.mandate.MandateProjection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route of the portal and its API, for every kind of caller, allowed or refused, as one table. The routes
 * are read from the application's own request mappings, so a route added without a row here fails the test.
 *
 * <p>Each request is one a caller of that kind could make: their session (with its CSRF token, so that what refuses
 * it is access control) or, on the API, their credentials: Basic for staff, an API key for data holders and data
 * users; citizens bring their session cookie, which the API must not honour. Bodies are empty, so an allowed request
 * is usually refused for its content (400) and changes nothing; resources in paths belong to the citizen Camille
 * and to the data holder CNAM.
 */
@ActiveProfiles("local-idp") // citizens sign in through the demonstration provider
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessControlIT {

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "access-control-it");
        registry.add("portal.sign-ins-per-minute", () -> "10000");
    }

    /** The callers, in the order of the table's columns. */
    private static final List<String> CALLERS = List.of("anonymous", "citizen", "other-citizen", "representative",
            "holder", "other-holder", "data-user", "auditor", "admin");

    /*
     * Outcomes: A allowed (past access control: any answer but 401, 403, 404 or a redirect to sign in), D denied
     * (401, 403 or sent to sign in), H hidden (404: another person's or another holder's resource is not there for
     * them). Columns as in CALLERS.
     */
    private static final String ALL = "AAAAAAAAA";
    private static final String SIGNED_IN = "DAAAAADAA";
    private static final String CITIZENS = "DAAADDDDD";
    private static final String HOLDERS = "DDDDAADDD";
    private static final String DATA_USERS = "DDDDDDADD";
    private static final String STAFF = "DDDDDDDAA";
    private static final String ADMINS = "DDDDDDDDA";
    private static final String DECIDERS = "DDDDAADAA";

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    HolderAccounts holderAccounts;

    @Autowired
    MandateProjection mandates;

    private Api api;
    private final Map<String, PortalSession> sessions = new LinkedHashMap<>();
    private final Map<String, String> apiCredentials = new LinkedHashMap<>();
    private final Map<String, String> ids = new LinkedHashMap<>();

    /** One row: a route, the concrete request made on it, and the outcome per caller. */
    private record Row(String method, String pattern, String path, String body, String expected) {
    }

    @BeforeAll
    void givenCamillesChangeCnamsDeliveryAFindingAndAMandate() {
        api = new Api(port);
        String project = api.postAsAdmin("/api/v1/projects", "{\"title\":\"Access table\",\"controller\":\"Inserm\","
                + "\"purposeCategory\":\"PUBLIC_HEALTH\",\"dataHolders\":[\"CNAM\",\"AP-HP\"],\"datasets\":[\"DCIR\"],"
                + "\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2028-01-01\",\"idempotencyKey\":\"acl-project\"}")
                .json().get("projectId").asString();
        api.postAsAdmin("/api/v1/projects/" + project + "/permit", "{\"permitId\":\"HDAB-ACL\",\"idempotencyKey\":"
                + "\"acl-permit\"}");
        ids.put("projectId", project);
        ids.put("mandateId", mandate(NADIA_NIR, LOUIS_NIR, "acl-mandate"));
        ids.put("spareMandate", mandate(NADIA_NIR, JEAN_NIR, "acl-mandate-spare"));

        String cnamPassword = holderAccounts.create("cnam-acl", "CNAM").password();
        String aphpPassword = holderAccounts.create("aphp-acl", "AP-HP").password();
        holderAccounts.create("spare-acl", "CNAM");
        ids.put("username", "spare-acl");
        ids.put("dataHolder", "CNAM");
        String cnamKey = holderKey("CNAM");
        for (String spare : List.of("apiKeyForApi", "apiKeyForAdminPage", "apiKeyForHolderPage")) {
            ids.put(spare, api.postAsAdmin("/api/v1/data-holders/CNAM/api-keys", "{\"label\":\"" + spare + "\"}")
                    .json().get("keyId").asString());
        }
        Api.Response projectKey = api.postAsAdmin("/api/v1/projects/" + project + "/api-keys", "{}");
        String spareProjectKey = api.postAsAdmin("/api/v1/projects/" + project + "/api-keys", "{}").json()
                .get("keyId").asString();
        ids.put("projectKeyId", spareProjectKey);

        ids.put("filterId", api.postWithApiKey("/api/v1/extracts/filter?projectId=" + project + "&dataset=DCIR",
                JEAN_NIR + "\n" + CAMILLE_NIR + "\n", cnamKey).header("Filter-Id"));
        String dataUserKey = projectKey.json().get("apiKey").asString();
        ids.put("findingId", finding(dataUserKey, "acl-finding"));
        ids.put("erasableFinding", finding(dataUserKey, "acl-finding-erasable"));
        ids.put("erasableFindingPage", finding(dataUserKey, "acl-finding-erasable-page"));
        ids.put("channel", "EMAIL");

        sessions.put("anonymous", new PortalSession(port));
        sessions.put("citizen", citizen("camille"));
        sessions.put("other-citizen", citizen("jean"));
        sessions.put("representative", citizen("nadia"));
        sessions.put("holder", staff("cnam-acl", cnamPassword));
        sessions.put("other-holder", staff("aphp-acl", aphpPassword));
        sessions.put("data-user", new PortalSession(port)); // data users have the API only
        sessions.put("auditor", staff("auditor", Api.AUDITOR_PASSWORD));
        sessions.put("admin", staff("admin", Api.ADMIN_PASSWORD));
        apiCredentials.put("holder", "X-Api-Key:" + cnamKey);
        apiCredentials.put("other-holder", "X-Api-Key:" + holderKey("AP-HP"));
        apiCredentials.put("data-user", "X-Api-Key:" + dataUserKey);
        apiCredentials.put("auditor", "Authorization:" + Api.basic("auditor", Api.AUDITOR_PASSWORD));
        apiCredentials.put("admin", "Authorization:" + Api.basic("admin", Api.ADMIN_PASSWORD));

        PortalSession.Page uploaded = sessions.get("holder").uploadExtract(project, "DCIR", "extract.txt", JEAN_NIR + "\n");
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(302);
        ids.put("uploadedFilterId", uploaded.location().substring(uploaded.location().lastIndexOf('/') + 1));
        long leaf = sessions.get("citizen").optOut(null);
        ids.put("leaf", Long.toString(leaf));
    }

    private List<Row> table() {
        List<Row> rows = new ArrayList<>();
        // public pages, and the sign-in plumbing
        for (String page : List.of("/", "/register", "/register/{projectId}", "/statistics", "/verify",
                "/accessibility", "/login", "/idp/login")) {
            rows.add(row("GET " + page, ALL));
        }
        rows.add(row("POST /verify", ALL));
        rows.add(row("GET /signed-in", SIGNED_IN));
        rows.add(row("GET /oauth2/authorization/citizen", ALL));

        // citizens: their own choices, receipts, usages and notices; a representative's through a mandate
        for (String page : List.of("GET /my", "GET /my/opt-outs/new", "GET /my/opt-outs/review", "POST /my/opt-outs/review",
                "GET /my/opt-outs/withdrawal/review", "GET /my/objection/review", "POST /my/opt-outs",
                "POST /my/opt-outs/withdrawal/review", "POST /my/opt-outs/withdrawal", "POST /my/objection/review",
                "POST /my/objection", "GET /my/recorded", "GET /my/usages", "GET /my/choices.fhir.json", "GET /my/notifications",
                "POST /my/notifications/{findingId}/read", "POST /my/notifications/contact",
                "POST /my/notifications/contact/erasure", "GET /my/consents", "GET /my/consents/review",
                "POST /my/consents", "GET /my/consents/withdrawal/review", "POST /my/consents/withdrawal")) {
            rows.add(row(page, CITIZENS));
        }
        rows.add(row("GET /my/receipts/{leaf}", "DAHHDDDDD"));
        rows.add(row("GET /my/receipts/{leaf}.json", "DAHHDDDDD"));
        rows.add(row("GET /my?for={mandateId}", "DDDADDDDD"));
        rows.add(row("GET /my/usages?for={mandateId}", "DDDADDDDD"));
        rows.add(row("POST /my/objection?for={mandateId}", "DDDADDDDD", "body=choice=OBJECT&idempotencyKey=acl-for"));
        rows.add(row("POST /my/mandates/{mandateId}/label", "DDDADDDDD", "body=label=Louis"));

        // data holders: their own deliveries and keys
        rows.add(row("GET /holder", HOLDERS));
        rows.add(row("POST /holder/extracts", HOLDERS));
        for (String delivery : List.of("", "/output", "/certificate", "/errors")) {
            rows.add(row("GET /holder/deliveries/{filterId}" + delivery, "DDDDAHDDD", "filterId=uploadedFilterId"));
        }
        rows.add(row("GET /holder/api-keys", HOLDERS));
        rows.add(row("POST /holder/api-keys", HOLDERS));
        rows.add(row("POST /holder/api-keys/{keyId}/revocation", "DDDDAHDDD", "keyId=apiKeyForHolderPage"));

        // staff pages
        rows.add(row("GET /audit", STAFF));
        rows.add(row("GET /audit/entry", STAFF));
        rows.add(row("GET /audit/bundle", STAFF));
        for (String page : List.of("GET /admin", "GET /admin/projects", "POST /admin/projects",
                "GET /admin/projects/{projectId}", "GET /admin/requests", "POST /admin/requests",
                "GET /admin/data-holders", "POST /admin/data-holders/accounts", "GET /admin/data-holders/{dataHolder}/api-keys",
                "POST /admin/data-holders/{dataHolder}/api-keys", "GET /admin/mandates", "POST /admin/mandates",
                "GET /admin/findings", "POST /admin/findings/{findingId}/forwarding",
                "POST /admin/findings/{findingId}/{channel}/retry")) {
            rows.add(row(page, ADMINS));
        }
        for (String step : List.of("permit", "derogation", "results", "closure", "legal-basis")) {
            rows.add(row("POST /admin/projects/{projectId}/" + step, ADMINS));
        }
        rows.add(row("POST /admin/data-holders/accounts/{username}/password", ADMINS));
        rows.add(row("POST /admin/data-holders/accounts/{username}/disable", ADMINS));
        rows.add(row("POST /admin/data-holders/{dataHolder}/api-keys/{keyId}/revocation", ADMINS,
                "keyId=apiKeyForAdminPage"));
        rows.add(row("POST /admin/mandates/{mandateId}/revocation", ADMINS, "mandateId=spareMandate"));
        rows.add(row("POST /admin/findings/{findingId}/content/erasure", ADMINS, "findingId=erasableFindingPage"));

        // the public API: the log's proofs, anchoring status, the API description, health
        for (String route : List.of("GET /api/v1/log/checkpoint", "GET /api/v1/log/public-key", "GET /api/v1/log/keys",
                "GET /api/v1/log/proof/inclusion", "GET /api/v1/log/proof/consistency", "GET /api/v1/anchors/status",
                "GET /v3/api-docs", "GET /actuator/health", "GET /actuator/health/liveness",
                "GET /actuator/health/readiness", "GET /actuator/info")) {
            rows.add(row(route, ALL));
        }
        rows.add(row("GET /api/v1/log/entries", STAFF));
        // tlog-tiles: one mapping, hash tiles for anyone, entry bundles for auditors
        rows.add(new Row("GET", "/api/v1/log/tile/**", "/api/v1/log/tile/0/000.p/1", null, ALL));
        rows.add(new Row("GET", "/api/v1/log/tile/**", "/api/v1/log/tile/entries/000.p/1", null, STAFF));
        rows.add(row("GET /api/v1/anchors/verify", STAFF));
        rows.add(row("GET /actuator/prometheus", STAFF));
        rows.add(row("POST /api/v1/transparency/usages", STAFF));

        // decisions and extracts
        rows.add(row("POST /api/v1/decisions", DECIDERS));
        rows.add(row("POST /api/v1/decisions/batch", DECIDERS));
        rows.add(row("GET /api/v1/decisions/status", DECIDERS));
        rows.add(row("POST /api/v1/decisions/read-model/rebuild", ADMINS));
        rows.add(row("POST /api/v1/extracts/filter", HOLDERS));
        rows.add(row("GET /api/v1/extracts/snapshot", HOLDERS));
        rows.add(row("POST /api/v1/extracts/reports", HOLDERS));
        rows.add(row("GET /api/v1/extracts/{filterId}/certificate", "DDDDAHDDD"));
        rows.add(row("GET /api/v1/extracts/{filterId}/errors", "DDDDAHDDD"));
        rows.add(row("PUT /api/v1/extracts/{filterId}/cohort", "DDDDAHDDD"));

        // significant findings: reported by the project's data user, forwarded by staff, read by its data holder
        rows.add(row("POST /api/v1/findings", DATA_USERS));
        rows.add(row("GET /api/v1/findings/forwarded", HOLDERS));
        rows.add(row("GET /api/v1/findings/{findingId}/content", "DDDDAHDDD"));
        rows.add(row("POST /api/v1/findings/{findingId}/acknowledgement", "DDDDAHDDD"));
        for (String route : List.of("GET /api/v1/findings", "GET /api/v1/findings/overdue",
                "POST /api/v1/findings/{findingId}/forwarding", "GET /api/v1/notifications/dead-letters")) {
            rows.add(row(route, ADMINS));
        }
        // the finding's notice is no dead letter: the admin is let through and told there is nothing to retry
        rows.add(row("POST /api/v1/notifications/dead-letters/{findingId}/{channel}/retry", "DDDDDDDDH"));
        rows.add(row("POST /api/v1/findings/{findingId}/content/erasure", ADMINS, "findingId=erasableFinding"));

        // staff commands
        for (String route : List.of("POST /api/v1/projects", "POST /api/v1/projects/{projectId}/permit",
                "POST /api/v1/projects/{projectId}/derogation", "POST /api/v1/projects/{projectId}/closure",
                "POST /api/v1/projects/{projectId}/results", "POST /api/v1/projects/{projectId}/usages",
                "POST /api/v1/projects/{projectId}/api-keys", "POST /api/v1/projects/{projectId}/legal-basis",
                "POST /api/v1/opt-outs", "POST /api/v1/opt-outs/withdrawals", "POST /api/v1/consents",
                "POST /api/v1/consents/withdrawals",
                "POST /api/v1/notification-objections", "POST /api/v1/notification-objections/withdrawals",
                "POST /api/v1/mandates", "POST /api/v1/data-holders/{dataHolder}/api-keys", "POST /api/v1/registry-imports",
                "GET /api/v1/data-holders/{dataHolder}/api-keys")) {
            rows.add(row(route, ADMINS));
        }
        rows.add(row("POST /api/v1/mandates/{mandateId}/revocation", ADMINS, "mandateId=spareMandate"));
        rows.add(row("DELETE /api/v1/projects/{projectId}/api-keys/{keyId}", ADMINS, "keyId=projectKeyId"));
        rows.add(row("DELETE /api/v1/data-holders/{dataHolder}/api-keys/{keyId}", ADMINS, "keyId=apiKeyForApi"));

        // last, as it ends the sessions
        rows.add(row("POST /login", ALL));
        rows.add(row("POST /logout", ALL));
        return rows;
    }

    @Test
    void every_route_has_a_row() {
        Set<String> tabled = new TreeSet<>();
        table().forEach(r -> tabled.add(r.method() + " " + r.pattern()));
        Set<String> mapped = new TreeSet<>();
        for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternValues()) {
                    for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                        mapped.add(method + " " + pattern);
                    }
                }
            }
        }
        mapped.removeIf(r -> r.endsWith("/error") || r.startsWith("GET /v3/api-docs/") || r.endsWith(".yaml"));

        assertThat(tabled).as("routes of the application without a row in the table").containsAll(mapped);
    }

    @Test
    void each_caller_reaches_exactly_the_routes_of_its_role() {
        Map<String, String> wrong = new LinkedHashMap<>();
        StringBuilder seen = new StringBuilder();
        for (Row row : table()) {
            StringBuilder got = new StringBuilder();
            for (int c = 0; c < CALLERS.size(); c++) {
                String caller = CALLERS.get(c);
                PortalSession.Page page = send(caller, row);
                char outcome = outcome(page);
                got.append(outcome);
                if (outcome != row.expected().charAt(c)) {
                    wrong.put(row.method() + " " + row.path() + " as " + caller, page.status() + " "
                            + (page.location() == null ? "" : page.location()) + " (expected " + row.expected().charAt(c)
                            + ")");
                }
            }
            seen.append(String.format("%-72s %s%n", row.method() + " " + row.pattern(), got));
        }
        System.out.println("access table (" + String.join(", ", CALLERS) + "):\n" + seen);
        assertThat(wrong).isEmpty();
    }

    private PortalSession.Page send(String caller, Row row) {
        boolean api = row.path().startsWith("/api/") || row.path().startsWith("/v3/") || row.path().startsWith("/actuator/");
        Map<String, String> headers = new LinkedHashMap<>();
        String credentials = apiCredentials.get(caller);
        if (api && credentials != null) {
            int colon = credentials.indexOf(':');
            headers.put(credentials.substring(0, colon), credentials.substring(colon + 1));
        }
        if (api) {
            headers.put("Accept", "application/json, text/plain, application/octet-stream, text/csv");
        }
        String contentType = null;
        String body = null;
        if (!row.method().equals("GET")) {
            if (api) {
                contentType = row.path().endsWith("/cohort") ? "application/octet-stream"
                        : row.path().contains("/extracts/filter") ? "text/csv" : "application/json";
                body = contentType.equals("application/json") ? "{}" : "";
            } else {
                contentType = "application/x-www-form-urlencoded";
                body = "";
            }
            if (row.body() != null) {
                body = row.body();
            }
        }
        return sessions.get(caller).request(row.method(), row.path(), contentType, body, headers);
    }

    private char outcome(PortalSession.Page page) {
        int status = page.status();
        if (status == 401 || status == 403) {
            return 'D';
        }
        if (status / 100 == 3 && page.location() != null && page.location().equals("http://127.0.0.1:" + port
                + "/login")) {
            return 'D';
        }
        if (status == 404) {
            return 'H';
        }
        if (status >= 500 || status == 405) {
            return 'E'; // never expected: a failure or a route that is not there
        }
        return 'A';
    }

    /**
     * A row for "METHOD /pattern", its path variables filled from the fixtures (or {@code name=fixture}); {@code
     * body=…} sends that body instead of an empty one.
     */
    private Row row(String route, String expected, String... overrides) {
        String method = route.substring(0, route.indexOf(' '));
        String pattern = route.substring(route.indexOf(' ') + 1);
        Map<String, String> values = new LinkedHashMap<>(ids);
        String body = null;
        for (String o : overrides) {
            if (o.startsWith("body=")) {
                body = o.substring("body=".length());
                continue;
            }
            String name = o.substring(0, o.indexOf('='));
            String value = o.substring(o.indexOf('=') + 1);
            values.put(name, ids.getOrDefault(value, value));
        }
        String path = pattern;
        for (Map.Entry<String, String> v : values.entrySet()) {
            path = path.replace("{" + v.getKey() + "}", v.getValue());
        }
        assertThat(path).as(route).doesNotContain("{");
        assertThat(expected).as(route).hasSize(CALLERS.size());
        return new Row(method, pattern.replaceFirst("\\?.*$", ""), path, body, expected);
    }

    private String mandate(String representative, String represented, String key) {
        String id = api.postAsAdmin("/api/v1/mandates", "{\"representative\":\"" + representative + "\",\"represented\":\""
                + represented + "\",\"kind\":\"PARENT\",\"validUntil\":\"2035-01-01T00:00:00Z\",\"idempotencyKey\":\""
                + key + "\"}").json().get("mandateId").asString();
        for (int i = 0; i < 100 && mandates.find(id).isEmpty(); i++) { // the read model follows the log
            Pause.millis(100);
        }
        return id;
    }

    private String holderKey(String dataHolder) {
        return api.postAsAdmin("/api/v1/data-holders/" + dataHolder + "/api-keys", "{}").json().get("apiKey").asString();
    }

    private String finding(String dataUserKey, String key) {
        Api.Response reported = api.postJsonWithApiKey("/api/v1/findings", "{\"person\":\"" + CAMILLE_NIR
                + "\",\"severity\":\"IMPORTANT\",\"clinicalSummary\":\"HbA1c 11.2 %\",\"personNotice\":\"See your "
                + "doctor.\",\"idempotencyKey\":\"" + key + "\"}", dataUserKey);
        assertThat(reported.status()).as(reported.body()).isEqualTo(201);
        String id = reported.json().get("findingId").asString();
        Api.Response forwarded = api.postAsAdmin("/api/v1/findings/" + id + "/forwarding", "{\"dataHolder\":\"CNAM\","
                + "\"idempotencyKey\":\"" + key + "-fwd-" + UUID.randomUUID() + "\"}");
        assertThat(forwarded.status()).as(forwarded.body()).isEqualTo(201);
        return id;
    }

    private PortalSession citizen(String username) {
        PortalSession s = new PortalSession(port);
        s.signInAsCitizen(username);
        return s;
    }

    private PortalSession staff(String username, String password) {
        PortalSession s = new PortalSession(port);
        s.signIn(username, password);
        return s;
    }
}
