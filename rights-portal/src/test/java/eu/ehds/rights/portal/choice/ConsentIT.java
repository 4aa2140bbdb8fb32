package eu.ehds.rights.portal.choice;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.DemoPeople;
import eu.ehds.rights.portal.support.EmbeddedLedger;
import eu.ehds.rights.portal.support.Nirs;
import eu.ehds.rights.portal.support.Pause;
import eu.ehds.rights.portal.support.PortalSession;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A project that may use only the data of persons who said yes, end to end on the embedded ledger: registered with
 * its notice, consents given and withdrawn through the staff API and on the citizen's pages (the person and a parent
 * for their child), decisions, and an extract filtered for it, online and offline.
 */
@ActiveProfiles("local-idp")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsentIT {

    private static final String NOTICE = "Cohorte génétique : vos données génomiques ne seront utilisées qu’avec votre "
            + "accord, pour l’étude des maladies rares, jusqu’en 2030.";

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "consent-it");
        registry.add("portal.sign-ins-per-minute", () -> "10000");
    }

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    eu.ehds.rights.ledger.identity.Pseudonymiser pseudonymiser;

    @org.springframework.beans.factory.annotation.Autowired
    Consents consents;

    Api api;
    String cohort;
    String holderKey;

    private String key() {
        return "consent-it-" + UUID.randomUUID();
    }

    private String project(String title, String basis) {
        Api.Response registered = api.postAsAdmin("/api/v1/projects", "{\"title\":\"" + title + "\","
                + "\"controller\":\"Inserm\",\"purposeCategory\":\"SCIENTIFIC_RESEARCH\",\"dataHolders\":[\"CNAM\"],"
                + "\"datasets\":[\"DCIR\"],\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2030-01-01\","
                + "\"legalBasis\":\"" + basis + "\",\"consentNotice\":\"" + NOTICE + "\",\"idempotencyKey\":\""
                + key() + "\"}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        String id = registered.json().get("projectId").asString();
        assertThat(api.postAsAdmin("/api/v1/projects/" + id + "/permit", "{\"permitId\":\"P-" + title.length()
                + "\",\"approvedAt\":\"" + Instant.now().minusSeconds(60) + "\",\"idempotencyKey\":\"" + key() + "\"}")
                .status()).isEqualTo(201);
        return id;
    }

    /** A consent or withdrawal received by post, with the hash of the notice published for its scope. */
    private Api.Response consent(String path, String nir, String scopeType, String scopeValue) {
        return consent(path, nir, scopeType, scopeValue, Sha256.hex(consents.notice(new eu.ehds.rights.ledger.api
                .optout.OptOutScope(eu.ehds.rights.ledger.api.optout.OptOutScope.Type.valueOf(scopeType), scopeValue),
                java.util.Locale.FRENCH)), "POST");
    }

    private Api.Response consent(String path, String nir, String scopeType, String scopeValue, String noticeSha256,
                                 String channel) {
        return api.postAsAdmin(path, "{\"person\":\"" + nir + "\",\"scope\":{\"type\":\"" + scopeType + "\""
                + (scopeValue == null ? "" : ",\"value\":\"" + scopeValue + "\"") + "},\"channel\":\"" + channel
                + "\",\"noticeSha256\":\"" + noticeSha256 + "\",\"idempotencyKey\":\"" + key() + "\"}");
    }

    private String decision(String nir, String projectId) {
        api.awaitDecisions();
        return api.postJsonWithApiKey("/api/v1/decisions", "{\"person\":\"" + nir + "\",\"projectId\":\"" + projectId
                + "\"}", holderKey).json().get("reason").asString();
    }

    private String filtered(String projectId, String... nirs) {
        api.awaitDecisions();
        Api.Response response = api.postWithApiKey("/api/v1/extracts/filter?projectId=" + projectId + "&dataset=DCIR",
                "nir\n" + String.join("\n", nirs) + "\n", holderKey);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    @BeforeAll
    void givenAConsentProjectAndADataHolder() {
        api = new Api(port);
        cohort = project("Cohorte maladies rares", "CONSENT");
        holderKey = api.postAsAdmin("/api/v1/data-holders/CNAM/api-keys", "{}").json().get("apiKey").asString();
    }

    @Test
    void an_extract_for_a_consent_project_keeps_only_the_consenting_and_nobody_when_no_one_consented() {
        String empty = project("Cohorte sans consentement", "CONSENT");
        String yes = Nirs.anyNir();
        String no = Nirs.anyNir();
        String withdrew = Nirs.anyNir();

        assertThat(filtered(empty, yes, no)).isEqualTo("nir\n");

        assertThat(consent("/api/v1/consents", yes, "PROJECT", cohort).status()).isEqualTo(201);
        assertThat(consent("/api/v1/consents", withdrew, "GLOBAL", null).status()).isEqualTo(201);
        assertThat(consent("/api/v1/consents/withdrawals", withdrew, "GLOBAL", null).status()).isEqualTo(201);

        assertThat(filtered(cohort, yes, no, withdrew)).isEqualTo("nir\n" + yes + "\n");
        assertThat(decision(yes, cohort)).isEqualTo("INCLUDED");
        assertThat(decision(no, cohort)).isEqualTo("EXCLUDED");
        assertThat(decision(withdrew, cohort)).isEqualTo("EXCLUDED");
        assertThat(consent("/api/v1/consents/withdrawals", no, "PROJECT", cohort).status()).isEqualTo(409);
        assertThat(consent("/api/v1/consents", yes, "PROJECT", cohort).status()).as("already in force").isEqualTo(409);
        // a consent to another text than the published notice, to a project that asks for none, or on the portal's
        // channel from the staff API is refused, and nothing is recorded
        assertThat(consent("/api/v1/consents", no, "PROJECT", cohort, "dd".repeat(32), "POST").status()).isEqualTo(400);
        String optOutProject = project("Projet sur opposition", "OPT_OUT");
        assertThat(consent("/api/v1/consents", no, "PROJECT", optOutProject, Sha256.hex(NOTICE), "POST").status())
                .isEqualTo(404);
        assertThat(consent("/api/v1/consents", no, "PROJECT", cohort, Sha256.hex(NOTICE), "PORTAL").status())
                .isEqualTo(400);
        assertThat(decision(no, cohort)).isEqualTo("EXCLUDED");
    }

    @Test
    void the_offline_snapshot_of_a_consent_project_lists_the_consenting_under_its_own_title() {
        String yes = Nirs.anyNir();
        consent("/api/v1/consents", yes, "PROJECT", cohort);
        api.awaitDecisions();

        Api.Response snapshot = api.getWithApiKey("/api/v1/extracts/snapshot?projectId=" + cohort + "&dataset=DCIR",
                holderKey);

        assertThat(snapshot.status()).as(snapshot.body()).isEqualTo(200);
        assertThat(snapshot.body()).contains("rights-ledger consent snapshot v1").doesNotContain("opt-out snapshot");
    }

    @Test
    void the_data_holders_tool_filters_a_consent_project_offline_and_gets_the_delivery_certified() throws Exception {
        String yes = Nirs.anyNir();
        String no = Nirs.anyNir();
        consent("/api/v1/consents", yes, "PURPOSE", "SCIENTIFIC_RESEARCH");
        api.awaitDecisions();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("consent-cli");
        java.nio.file.Path in = dir.resolve("extract.csv");
        java.nio.file.Path out = dir.resolve("allowed.csv");
        // the tool takes pseudonyms (NIRs need the pseudonymisation key, which only accredited holders hold)
        String yesPseudonym = pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(yes));
        String noPseudonym = pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(no));
        java.nio.file.Files.writeString(in, "pseudonym\n" + yesPseudonym + "\n" + noPseudonym + "\n");

        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        int exit = eu.ehds.rights.portal.cli.Cli.run(new String[] {"filter", "--server=http://127.0.0.1:" + port,
                "--api-key=" + holderKey, "--project=" + cohort, "--dataset=DCIR", "--in=" + in, "--out=" + out},
                new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8));

        String printed = console.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("consenting (only they are delivered)").contains("delivery recorded");
        assertThat(java.nio.file.Files.readString(out)).isEqualTo("pseudonym\n" + yesPseudonym + "\n");
    }

    @Test
    void the_legal_basis_and_its_notice_are_on_the_public_sheet_and_a_change_is_an_event_of_its_own() {
        String project = project("Parcours de soins", "OPT_OUT");
        Api.Response changed = api.postAsAdmin("/api/v1/projects/" + project + "/legal-basis", "{\"legalBasis\":"
                + "\"CONSENT\",\"consentNotice\":\"" + NOTICE + "\",\"idempotencyKey\":\"" + key() + "\"}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(201);
        assertThat(api.postAsAdmin("/api/v1/projects/" + project + "/legal-basis", "{\"legalBasis\":\"CONSENT\"}")
                .status()).as("no notice").isEqualTo(400);

        String sheet = api.get("/register/" + project + "?lang=fr").body();

        assertThat(sheet).contains("Consentement").contains("Cohorte génétique").contains(Sha256.hex(NOTICE));
    }

    @Test
    void a_citizen_reads_the_notice_consents_gets_a_receipt_and_withdraws_and_a_parent_does_so_for_a_child() {
        PortalSession camille = new PortalSession(port);
        camille.signInAsCitizen("camille");

        String list = camille.get("/my/consents?lang=fr").body();
        assertThat(list).contains("Cohorte maladies rares");
        PortalSession.Page review = camille.get("/my/consents/review?scopeType=PROJECT&scopeValue=" + cohort);
        assertThat(review.body()).contains("Cohorte génétique").contains(Sha256.hex(NOTICE));
        PortalSession.Page given = camille.post("/my/consents", Map.of("scopeType", "PROJECT", "scopeValue", cohort,
                "noticeSha256", review.input("noticeSha256"), "idempotencyKey", review.input("idempotencyKey")));
        assertThat(given.status()).isEqualTo(302);
        String recorded = camille.get(given.location()).body();
        assertThat(recorded).contains("Consentement donné");
        assertThat(camille.get("/my?lang=fr").body()).contains("1 consentement en vigueur");
        assertThat(decision(DemoPeople.CAMILLE_NIR, cohort)).isEqualTo("INCLUDED");
        assertThat(filtered(cohort, DemoPeople.CAMILLE_NIR)).contains(DemoPeople.CAMILLE_NIR);
        assertThat(camille.get("/my/usages?lang=fr").body()).contains("Cohorte maladies rares")
                .contains("s’est appuyé sur le consentement donné le").contains("consentement à ce projet");
        assertThat(api.get("/statistics?lang=en").body()).contains("id=\"consents-given\"");
        // opting out of every reuse now would not stop this consent, narrower: the review page says so before
        assertThat(camille.get("/my/opt-outs/review?scopeType=GLOBAL&lang=fr").body()).contains("id=\"consents-kept\"")
                .contains("Cohorte maladies rares");

        PortalSession.Page withdrawal = camille.get("/my/consents/withdrawal/review?scopeType=PROJECT&scopeValue="
                + cohort);
        PortalSession.Page withdrawn = camille.post("/my/consents/withdrawal", Map.of("scopeType", "PROJECT",
                "scopeValue", cohort, "idempotencyKey", withdrawal.input("idempotencyKey")));
        assertThat(withdrawn.status()).isEqualTo(302);
        assertThat(decision(DemoPeople.CAMILLE_NIR, cohort)).isEqualTo("EXCLUDED");

        // a notice changed since it was read is refused, and nothing is recorded
        PortalSession.Page stale = camille.post("/my/consents", Map.of("scopeType", "PROJECT", "scopeValue", cohort,
                "noticeSha256", "00".repeat(32), "idempotencyKey", key()));
        assertThat(stale.status()).isEqualTo(400);
        assertThat(decision(DemoPeople.CAMILLE_NIR, cohort)).isEqualTo("EXCLUDED");

        String mandate = api.postAsAdmin("/api/v1/mandates", "{\"representative\":\"" + DemoPeople.NADIA_NIR
                + "\",\"represented\":\"" + DemoPeople.LOUIS_NIR + "\",\"kind\":\"PARENT\",\"validUntil\":"
                + "\"2035-01-01T00:00:00Z\",\"idempotencyKey\":\"" + key() + "\"}").json().get("mandateId").asString();
        PortalSession nadia = new PortalSession(port);
        nadia.signInAsCitizen("nadia");
        for (int i = 0; i < 100 && nadia.get("/my/consents?for=" + mandate).status() != 200; i++) {
            Pause.millis(100); // the mandates' read model follows the log
        }
        PortalSession.Page forChild = nadia.get("/my/consents/review?for=" + mandate + "&scopeType=PROJECT"
                + "&scopeValue=" + cohort);
        assertThat(nadia.post("/my/consents", Map.of("for", mandate, "scopeType", "PROJECT", "scopeValue", cohort,
                "noticeSha256", forChild.input("noticeSha256"), "idempotencyKey", forChild.input("idempotencyKey")))
                .status()).isEqualTo(302);
        assertThat(decision(DemoPeople.LOUIS_NIR, cohort)).isEqualTo("INCLUDED");
        assertThat(decision(DemoPeople.NADIA_NIR, cohort)).isEqualTo("EXCLUDED");
    }

    @Test
    void pages_tell_what_still_holds_a_new_notice_calls_for_a_new_consent_and_staff_must_choose_a_basis() {
        String study = project("Étude génétique", "CONSENT");
        PortalSession jean = new PortalSession(port);
        jean.signInAsCitizen("jean");
        PortalSession.Page review = jean.get("/my/consents/review?scopeType=PROJECT&scopeValue=" + study);
        assertThat(jean.post("/my/consents", Map.of("scopeType", "PROJECT", "scopeValue", study, "noticeSha256",
                review.input("noticeSha256"), "idempotencyKey", review.input("idempotencyKey"))).status()).isEqualTo(302);
        PortalSession.Page research = jean.get("/my/consents/review?scopeType=PURPOSE&scopeValue=SCIENTIFIC_RESEARCH");
        assertThat(jean.post("/my/consents", Map.of("scopeType", "PURPOSE", "scopeValue", "SCIENTIFIC_RESEARCH",
                "noticeSha256", research.input("noticeSha256"), "idempotencyKey", research.input("idempotencyKey")))
                .status()).isEqualTo(302);

        // withdrawing the project's consent while the research consent covers it: the review page says so
        assertThat(jean.get("/my/consents/withdrawal/review?scopeType=PROJECT&scopeValue=" + study + "&lang=fr")
                .body()).contains("id=\"broader-kept\"");

        // staff must choose a basis on the project's page; a new notice makes the consent to the old one lapse
        PortalSession admin = new PortalSession(port);
        admin.signIn("admin", Api.ADMIN_PASSWORD);
        admin.get("/admin/projects/" + study);
        assertThat(admin.post("/admin/projects/" + study + "/legal-basis", Map.of("consentNotice", "Nouvelle note.",
                "idempotencyKey", key())).status()).isEqualTo(400);
        assertThat(admin.post("/admin/projects/" + study + "/legal-basis", Map.of("legalBasis", "CONSENT",
                "consentNotice", "Nouvelle note : vos données génétiques, avec votre accord.", "idempotencyKey", key()))
                .status()).isEqualTo(302);
        api.awaitDecisions();
        String consentsPage = jean.get("/my/consents?lang=fr").body();
        assertThat(consentsPage).contains("La note d’information de ce projet a changé");
        assertThat(consentsPage.substring(consentsPage.indexOf("id=\"given\""), consentsPage.indexOf("id=\"offers-title\"")))
                .doesNotContain("Étude génétique");
    }
}
