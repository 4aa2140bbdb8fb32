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
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The portal's pages over real HTTP, with citizens signed in through the real OpenID Connect flow of the local
 * identity provider: who may open which page, that nobody reads or changes another person's data or another data
 * holder's deliveries, CSRF, headers, sessions, and that no NIR reaches the log.
 */
@ActiveProfiles("local-idp") // citizens sign in through the demonstration provider
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class PortalPagesIT {

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "portal-pages-it");
        registry.add("portal.sign-ins-per-minute", () -> "10000"); // every test signs in from 127.0.0.1
    }

    @LocalServerPort
    int port;

    @Autowired
    HolderAccounts holderAccounts;

    @Autowired
    MandateProjection mandates;

    Api api;
    String projectId;
    String mandateId;
    String cnamPassword;
    String aphpPassword;
    String cnamFilterId;

    @BeforeAll
    void givenAProjectTwoDataHoldersAMandateAndADelivery() {
        api = new Api(port);
        Api.Response project = api.postAsAdmin("/api/v1/projects", "{\"title\":\"Asthma in children\",\"controller\":"
                + "\"Inserm\",\"purposeCategory\":\"PUBLIC_HEALTH\",\"dataHolders\":[\"CNAM\",\"AP-HP\"],"
                + "\"datasets\":[\"DCIR\"],\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2028-01-01\","
                + "\"idempotencyKey\":\"pages-project-1\"}");
        projectId = project.json().get("projectId").asString();
        api.postAsAdmin("/api/v1/projects/" + projectId + "/permit", "{\"permitId\":\"HDAB-P-1\",\"idempotencyKey\":"
                + "\"pages-permit-1\"}");
        mandateId = api.postAsAdmin("/api/v1/mandates", "{\"representative\":\"" + NADIA_NIR + "\",\"represented\":\""
                + LOUIS_NIR + "\",\"kind\":\"PARENT\",\"validUntil\":\"2035-01-01T00:00:00Z\","
                + "\"idempotencyKey\":\"pages-mandate-1\"}").json().get("mandateId").asString();
        for (int i = 0; i < 100 && mandates.find(mandateId).isEmpty(); i++) { // the read model follows the log
            Pause.millis(100);
        }
        cnamPassword = holderAccounts.create("cnam-pages", "CNAM").password();
        aphpPassword = holderAccounts.create("aphp-pages", "AP-HP").password();
        String cnamKey = api.postAsAdmin("/api/v1/data-holders/CNAM/api-keys", "{}").json().get("apiKey").asString();
        cnamFilterId = api.postWithApiKey("/api/v1/extracts/filter?projectId=" + projectId + "&dataset=DCIR",
                JEAN_NIR + "\n", cnamKey).header("Filter-Id");
        assertThat(cnamFilterId).startsWith("flt-");
    }

    private PortalSession session() {
        return new PortalSession(port);
    }

    private PortalSession signedIn(String who) {
        PortalSession s = session();
        switch (who) {
            case "anonymous" -> { }
            case "citizen" -> s.signInAsCitizen("camille");
            case "representative" -> s.signInAsCitizen("nadia");
            case "holder" -> s.signIn("cnam-pages", cnamPassword);
            case "other-holder" -> s.signIn("aphp-pages", aphpPassword);
            case "auditor" -> s.signIn("auditor", Api.AUDITOR_PASSWORD);
            case "admin" -> s.signIn("admin", Api.ADMIN_PASSWORD);
            default -> throw new IllegalArgumentException(who);
        }
        return s;
    }

    @Nested
    class WhoMayOpenWhat {

        private static final List<String> VIEWERS = List.of("anonymous", "citizen", "representative", "holder",
                "auditor", "admin");

        /** Per page, what each viewer gets: 200, 403, or LOGIN (sent to the sign-in page). */
        private static final Map<String, List<String>> EXPECTED = new LinkedHashMap<>();

        static {
            List<String> everyone = List.of("200", "200", "200", "200", "200", "200");
            for (String page : List.of("/", "/register", "/statistics", "/verify", "/login", "/accessibility")) {
                EXPECTED.put(page, everyone);
            }
            List<String> citizens = List.of("LOGIN", "200", "200", "403", "403", "403");
            for (String page : List.of("/my", "/my/opt-outs/new", "/my/usages", "/my/notifications")) {
                EXPECTED.put(page, citizens);
            }
            List<String> holders = List.of("LOGIN", "403", "403", "200", "403", "403");
            EXPECTED.put("/holder", holders);
            EXPECTED.put("/holder/api-keys", holders);
            List<String> admins = List.of("LOGIN", "403", "403", "403", "403", "200");
            for (String page : List.of("/admin", "/admin/projects", "/admin/requests", "/admin/data-holders",
                    "/admin/mandates", "/admin/findings")) {
                EXPECTED.put(page, admins);
            }
            EXPECTED.put("/audit", List.of("LOGIN", "403", "403", "403", "200", "200"));
            // an address no page answers is "not found" for everyone, not "forbidden" nor a sign-in form
            List<String> nobody = List.of("404", "404", "404", "404", "404", "404");
            EXPECTED.put("/registre", nobody);
            EXPECTED.put("/no/such/page", nobody);
        }

        @Test
        void each_page_opens_only_for_its_roles() {
            Map<String, String> wrong = new LinkedHashMap<>();
            for (int v = 0; v < VIEWERS.size(); v++) {
                PortalSession s = signedIn(VIEWERS.get(v));
                for (Map.Entry<String, List<String>> page : EXPECTED.entrySet()) {
                    PortalSession.Page p = s.get(page.getKey());
                    String got = p.status() == 302 && p.location().endsWith("/login") ? "LOGIN"
                            : Integer.toString(p.status());
                    if (!got.equals(page.getValue().get(v))) {
                        wrong.put(VIEWERS.get(v) + " " + page.getKey(), got + " (expected " + page.getValue().get(v) + ")");
                    }
                }
            }
            assertThat(wrong).isEmpty();
        }
    }

    @Nested
    class NobodySeesAnotherPersonsData {

        @Test
        void a_citizen_cannot_see_the_receipt_of_another_persons_change() {
            PortalSession jean = session();
            jean.signInAsCitizen("jean");
            long jeansLeaf = jean.optOut(null);

            PortalSession camille = signedIn("citizen");
            assertThat(camille.get("/my/receipts/" + jeansLeaf).status()).isEqualTo(404);
            assertThat(camille.get("/my/receipts/" + jeansLeaf + ".json").status()).isEqualTo(404);
            assertThat(jean.get("/my/receipts/" + jeansLeaf + ".json").status()).isEqualTo(200);
        }

        @Test
        void a_citizen_cannot_act_under_a_mandate_they_do_not_hold() {
            PortalSession camille = signedIn("citizen");

            assertThat(camille.get("/my?for=" + mandateId).status()).isEqualTo(403);
            PortalSession.Page refused = camille.post("/my/opt-outs", Map.of("for", mandateId, "scopeType", "GLOBAL",
                    "idempotencyKey", "pages-forged-1"));
            assertThat(refused.status()).isEqualTo(403);
            PortalSession nadia = signedIn("representative");
            assertThat(nadia.get("/my?for=" + mandateId).body()).doesNotContain("Opt-outs in force");
        }

        @Test
        void a_representative_acts_for_the_represented_person_and_the_event_says_who_acted() {
            PortalSession nadia = signedIn("representative");
            long leaf = nadia.optOut(mandateId);

            String history = nadia.get("/my?for=" + mandateId).body();
            assertThat(history).contains("Opt-outs in force").contains("You, as representative"); // which one acted
            assertThat(nadia.get("/my").body()).doesNotContain("Opt-outs in force"); // her own choices untouched
            String entry = api.get("/api/v1/log/entries?start=" + leaf + "&end=" + (leaf + 1), "auditor",
                    Api.AUDITOR_PASSWORD).body();
            assertThat(entry).contains("\"recordedBy\":\"representative:").contains("mandate:" + mandateId)
                    .contains("REPRESENTATIVE");
        }

        @Test
        void a_revoked_mandate_no_longer_lets_the_representative_act() {
            String revocable = api.postAsAdmin("/api/v1/mandates", "{\"representative\":\"" + NADIA_NIR
                    + "\",\"represented\":\"" + JEAN_NIR + "\",\"kind\":\"AUTHORISED_FAMILY_MEMBER\","
                    + "\"validUntil\":\"2035-01-01T00:00:00Z\",\"idempotencyKey\":\"pages-mandate-2\"}")
                    .json().get("mandateId").asString();
            PortalSession nadia = signedIn("representative");
            assertThat(statusWithin(nadia, "/my?for=" + revocable, 200)).isEqualTo(200);

            api.postAsAdmin("/api/v1/mandates/" + revocable + "/revocation", "{\"reason\":\"court decision\","
                    + "\"idempotencyKey\":\"pages-revoke-2\"}");

            assertThat(statusWithin(nadia, "/my?for=" + revocable, 403)).isEqualTo(403);
            assertThat(nadia.post("/my/objection", Map.of("for", revocable, "choice", "OBJECT",
                    "idempotencyKey", "pages-after-revoke")).status()).isEqualTo(403);
        }

        /** The status of the page once it is the expected one, or the last seen after 10 s (read models follow). */
        private int statusWithin(PortalSession s, String path, int expected) {
            int status = s.get(path).status();
            for (int i = 0; i < 100 && status != expected; i++) {
                Pause.millis(100);
                status = s.get(path).status();
            }
            return status;
        }

        @Test
        void a_data_holder_cannot_see_another_holders_deliveries() {
            PortalSession other = signedIn("other-holder");
            assertThat(other.get("/holder/deliveries/" + cnamFilterId).status()).isEqualTo(404);
            assertThat(other.get("/holder/deliveries/" + cnamFilterId + "/certificate").status()).isEqualTo(404);
            assertThat(other.get("/holder").body()).doesNotContain(cnamFilterId);

            PortalSession cnam = signedIn("holder");
            assertThat(cnam.get("/holder/deliveries/" + cnamFilterId).status()).isEqualTo(200);
            assertThat(cnam.get("/holder").body()).contains(cnamFilterId);
        }
    }

    @Nested
    class SessionsAndHeaders {

        @Test
        void a_form_without_its_csrf_token_is_refused_and_records_nothing() {
            PortalSession camille = signedIn("citizen");
            PortalSession.Page refused = camille.postWithoutToken("/my/objection", Map.of("choice", "OBJECT",
                    "idempotencyKey", "pages-no-token-1"));

            assertThat(refused.status()).isEqualTo(403);
            assertThat(camille.get("/my").body()).contains("you may be told about it");
        }

        @Test
        void signing_in_gives_a_new_session_id() {
            PortalSession s = session();
            s.get("/oauth2/authorization/citizen"); // creates the session that holds the sign-in's state
            String before = s.sessionId();
            s.signInAsCitizen("camille");

            assertThat(before).isNotNull();
            assertThat(s.sessionId()).isNotNull().isNotEqualTo(before);
        }

        @Test
        void personal_pages_are_not_cached_and_every_page_has_a_strict_content_security_policy() {
            PortalSession camille = signedIn("citizen");
            HttpResponse<String> my = camille.raw("/my");
            assertThat(my.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
            assertThat(my.headers().firstValue("Content-Security-Policy").orElse(""))
                    .contains("default-src 'none'").contains("script-src 'self'").contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline");
            assertThat(my.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(session().raw("/register").headers().firstValue("Content-Security-Policy")).isPresent();
        }

        @Test
        void signing_out_ends_the_session() {
            PortalSession camille = signedIn("citizen");
            camille.get("/my");
            camille.follow(camille.post("/logout", Map.of()));

            PortalSession.Page after = camille.get("/my");
            assertThat(after.status()).isEqualTo(302);
            assertThat(after.location()).endsWith("/login");
        }

        @Test
        void errors_are_pages_in_the_persons_language_without_details() {
            PortalSession s = signedIn("citizen");
            PortalSession.Page page = s.get("/my/receipts/999999");
            assertThat(page.status()).isEqualTo(404);
            assertThat(page.body()).contains("Page not found").doesNotContain("Exception").doesNotContain("at eu.");
        }
    }

    @Test
    void no_nir_reaches_the_log_output(CapturedOutput output) {
        signedIn("citizen");
        signedIn("representative");
        PortalSession admin = signedIn("admin");
        admin.get("/admin/requests");
        admin.post("/admin/requests", Map.of("nir", "1 62 09 69 123 456 68", "request", "OBJECTION", "channel", "POST",
                "idempotencyKey", "pages-postal-1"));

        for (String nir : List.of(CAMILLE_NIR, NADIA_NIR, LOUIS_NIR, JEAN_NIR, "1 62 09 69 123 456 68")) {
            assertThat(output.getAll()).doesNotContain(nir);
        }
    }
}
