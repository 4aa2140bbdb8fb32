package eu.ehds.rights.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.portal.security.HolderAccounts;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.Browser;
import eu.ehds.rights.portal.support.EmbeddedLedger;
import eu.ehds.rights.portal.support.Nirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a citizen is told, tried in Chromium in French and in English, on a desktop (1280 px) and on a phone (390 px).
 * Each run has its own person, who opts out of scientific research while one such project already holds a permit:
 * the review names that project, Back after confirming shows a page of the portal (never a resubmission), an extract
 * to the earlier-permitted project includes the person with the reason why, one to a project permitted after the
 * opt-out excludes them, one they were not in is not shown, and a refused upload appears nowhere. A representative
 * sees the person they act for by the name they gave. Every page is screenshot at its width.
 */
@ActiveProfiles("local-idp")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CitizenScenariosBrowserIT {

    private static final List<String> RUNS = List.of("fr-1280", "fr-390", "en-1280", "en-390");
    /** Each run's person (user name at the demo provider → NIR), and the parent and child for the mandate. */
    private static final Map<String, String> PEOPLE = new LinkedHashMap<>();

    static {
        for (String run : RUNS) {
            PEOPLE.put("person-" + run, Nirs.anyNir());
        }
        PEOPLE.put("parent", Nirs.anyNir());
        PEOPLE.put("child", Nirs.anyNir());
        PEOPLE.put("stranger", Nirs.anyNir()); // in every extract, never signs in
    }

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "citizen-scenarios-it");
        registry.add("portal.sign-ins-per-minute", () -> "10000");
        int i = 0;
        for (Map.Entry<String, String> person : PEOPLE.entrySet()) {
            String at = "portal.local-idp.people[" + i++ + "].";
            registry.add(at + "username", person::getKey);
            registry.add(at + "given-name", () -> person.getKey().equals("child") ? "Louis" : "Alex");
            registry.add(at + "family-name", () -> "Test");
            registry.add(at + "nir", person::getValue);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    HolderAccounts holderAccounts;

    @Autowired
    eu.ehds.rights.projections.mandate.MandateProjection mandates;

    Api api;
    Browser browser;
    Path files;
    String earlier;      // scientific research, permitted before every opt-out of this test
    String flu;          // public health: extracts without the persons of this test
    String mandateId;
    String holderPassword;
    String cohort;       // a consent project: only the data of persons who agreed
    int fluDeliveries;

    @BeforeAll
    void givenProjectsAMandateAndAHolder() throws Exception {
        api = new Api(port);
        earlier = project("Cohorte diabète", "Diabetes cohort", "SCIENTIFIC_RESEARCH", "scenario-earlier");
        api.postAsAdmin("/api/v1/projects/" + earlier + "/permit", "{\"permitId\":\"HDAB-S-1\",\"idempotencyKey\":\"scenario-permit-1\"}");
        flu = project("Surveillance de la grippe", "Flu surveillance", "PUBLIC_HEALTH", "scenario-flu");
        api.postAsAdmin("/api/v1/projects/" + flu + "/permit", "{\"permitId\":\"HDAB-S-2\",\"idempotencyKey\":\"scenario-permit-2\"}");
        mandateId = api.postAsAdmin("/api/v1/mandates", "{\"representative\":\"" + PEOPLE.get("parent")
                + "\",\"represented\":\"" + PEOPLE.get("child") + "\",\"kind\":\"PARENT\","
                + "\"validUntil\":\"2035-01-01T00:00:00Z\",\"idempotencyKey\":\"scenario-mandate\"}").json().get("mandateId").asString();
        for (int i = 0; i < 100 && mandates.find(mandateId).isEmpty(); i++) { // the read model follows the log
            Thread.sleep(100);
        }
        Api.Response consentProject = api.postAsAdmin("/api/v1/projects", "{\"title\":\"Cohorte génomique\","
                + "\"titleEn\":\"Genomic cohort\",\"controller\":\"Inserm\",\"purposeCategory\":\"SCIENTIFIC_RESEARCH\","
                + "\"dataHolders\":[\"CNAM\"],\"datasets\":[\"DCIR\"],\"plannedStart\":\"2026-01-01\","
                + "\"plannedEnd\":\"2030-01-01\",\"legalBasis\":\"CONSENT\",\"consentNotice\":\"Vos données "
                + "génomiques ne serviront qu’avec votre accord.\",\"idempotencyKey\":\"scenario-cohort\"}");
        assertThat(consentProject.status()).as(consentProject.body()).isEqualTo(201);
        cohort = consentProject.json().get("projectId").asString();
        api.postAsAdmin("/api/v1/projects/" + cohort + "/permit", "{\"permitId\":\"HDAB-S-3\",\"idempotencyKey\":"
                + "\"scenario-permit-3\"}");
        holderPassword = holderAccounts.create("cnam-scenarios", "CNAM").password();
        files = Files.createTempDirectory("scenario-files-");
        browser = new Browser(port, files);
    }

    private String project(String titleFr, String titleEn, String purpose, String key) {
        Api.Response registered = api.postAsAdmin("/api/v1/projects", "{\"title\":\"" + titleFr + "\",\"titleEn\":\"" + titleEn + "\","
                + "\"controller\":\"Inserm\",\"purposeCategory\":\"" + purpose + "\",\"dataHolders\":[\"CNAM\"],"
                + "\"datasets\":[\"DCIR\"],\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2030-01-01\","
                + "\"idempotencyKey\":\"" + key + "\"}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        return registered.json().get("projectId").asString();
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    static Stream<Arguments> runs() {
        return RUNS.stream().map(run -> Arguments.of(run.substring(0, 2), Integer.parseInt(run.substring(3))));
    }

    @ParameterizedTest(name = "{0} at {1} px")
    @MethodSource("runs")
    @Order(1)
    void a_citizen_is_told_exactly_what_happened_to_their_data(String lang, int width) throws Exception {
        boolean fr = lang.equals("fr");
        String run = lang + "-" + width;
        String person = "person-" + run;
        String later = project("Apnée du sommeil " + run, "Sleep apnoea " + run, "SCIENTIFIC_RESEARCH", "scenario-later-" + run);
        browser.signOutEverywhere();
        browser.width(width);

        browser.open("/?lang=" + lang);
        shot(run, "home");

        // given the person opts out of scientific research while one such project already holds a permit
        browser.signInAsCitizen(person, lang);
        shot(run, "my-choices");
        browser.open("/my/opt-outs/new");
        browser.choose("#scope-PURPOSE");
        browser.select("#purpose", "SCIENTIFIC_RESEARCH");
        shot(run, "opt-out");
        browser.click("#continue");
        assertThat(browser.text("#still-permitted")).as("the review names the projects that keep receiving")
                .contains(fr ? "Cohorte diabète" : "Diabetes cohort")
                .contains(fr ? "autorisation accordée le" : "permit granted on");
        shot(run, "review");
        browser.click("#confirm");
        browser.waitForPath("/my/recorded");
        assertThat(browser.text("#recorded")).contains(fr ? "Opposition enregistrée" : "Opt-out recorded");
        shot(run, "recorded");

        String leaf = browser.find("#receipt").getAttribute("href").replaceAll(".*/receipts/(\\d+).*", "$1");

        // when they press Back after confirming
        browser.back();
        // then they see a page of the portal (the review again, or that the opt-out is already recorded), never a
        // form to send again; confirming once more records nothing new
        assertThat(browser.path()).startsWith("/my/opt-outs/review");
        assertThat(browser.language()).isEqualTo(lang);
        shot(run, "back-after-confirming");
        if (browser.all("#confirm").isEmpty()) {
            assertThat(browser.pageText()).contains(fr ? "Cette opposition est déjà enregistrée" : "This opt-out is already recorded");
        } else {
            browser.click("#confirm");
            browser.waitForPath("/my/recorded");
            assertThat(browser.find("#receipt").getAttribute("href")).as("the same entry of the log, not a second one")
                    .contains("/receipts/" + leaf);
        }

        // when a project is permitted after the opt-out and the data holder delivers four extracts
        api.postAsAdmin("/api/v1/projects/" + later + "/permit", "{\"permitId\":\"HDAB-L-" + run + "\","
                + "\"idempotencyKey\":\"scenario-permit-" + run + "\"}");
        browser.signOutEverywhere();
        browser.open("/?lang=" + lang);
        browser.signIn("cnam-scenarios", holderPassword, "/holder");
        String nir = PEOPLE.get(person);
        String stranger = PEOPLE.get("stranger");
        upload(earlier, nir + "\n" + stranger + "\n", run, "earlier");
        shot(run, "holder-delivery");
        upload(later, nir + "\n" + stranger + "\n", run, "later");
        upload(flu, stranger + "\n", run, "flu");
        fluDeliveries++;
        Path unreadable = Files.writeString(files.resolve("unreadable-" + run + ".txt"), "pas un NIR\nnot a NIR\n");
        fillUpload(flu, unreadable);
        browser.expectRefusal("/holder/extracts");
        browser.click("#upload");
        assertThat(browser.text("#file-error")).as("the refusal is next to the file field, in the page's language")
                .contains(fr ? "Aucune ligne" : "No row");
        assertThat(browser.text("#projectId option:checked")).contains(fr ? "Surveillance de la grippe" : "Flu surveillance");
        shot(run, "holder-upload-refused");

        // then the person's page lists exactly the extracts that concerned them, with why
        browser.signOutEverywhere();
        browser.signInAsCitizen(person, lang);
        browser.open("/my/usages");
        String received = browser.text("#included");
        assertThat(received).contains(fr ? "Cohorte diabète" : "Diabetes cohort")
                .contains(fr ? "avant votre opposition" : "before your opt-out")
                .contains(fr ? "art. 71, § 3" : "Art. 71(3)");
        assertThat(browser.text("#excluded")).contains(fr ? "Apnée du sommeil " + run : "Sleep apnoea " + run)
                .doesNotContain(fr ? "Cohorte" : "cohort");
        assertThat(browser.pageText()).as("an extract they were not in, and the refused upload, are not theirs")
                .doesNotContain(fr ? "grippe" : "Flu");
        shot(run, "who-used-my-data");

        // and the refused upload is counted nowhere: the project's public sheet counts only delivered extracts
        browser.open("/register/" + flu);
        assertThat(browser.find("#deliveries").getAttribute("data-count")).isEqualTo(String.valueOf(fluDeliveries));
        shot(run, "sheet");
    }

    @ParameterizedTest(name = "{0} at {1} px")
    @MethodSource("runs")
    @Order(2)
    void a_representative_sees_the_person_they_act_for_by_the_name_they_gave(String lang, int width) {
        boolean fr = lang.equals("fr");
        String run = lang + "-" + width;
        browser.width(width);
        browser.signOutEverywhere();
        browser.signInAsCitizen("parent", lang);
        browser.open("/my?for=" + mandateId);
        if (browser.find("#represented-label").getAttribute("value").isEmpty()) {
            browser.type("#represented-label", "Louis");
            browser.click("#save-label");
        }
        assertThat(browser.text("h1")).isEqualTo(fr ? "Les choix de Louis" : "Choices of Louis");
        assertThat(browser.text("#acting-for")).contains(fr ? "Vous agissez pour Louis" : "You are acting for Louis");
        shot(run, "representative");
    }

    @ParameterizedTest(name = "{0} at {1} px")
    @MethodSource("runs")
    @Order(3)
    void a_citizen_and_a_parent_for_their_child_read_the_notice_consent_and_withdraw(String lang, int width) {
        boolean fr = lang.equals("fr");
        String run = lang + "-" + width;
        browser.width(width);
        for (String who : List.of("person-" + run, "parent")) {
            String forMandate = who.equals("parent") ? "?for=" + mandateId : "";
            browser.signOutEverywhere();
            browser.signInAsCitizen(who, lang);
            browser.open("/my" + forMandate);
            browser.click("#consents");
            browser.waitForPath("/my/consents");
            assertThat(browser.text("h1")).isEqualTo(fr ? "Consentements" : "Consents");
            browser.click(".offer a.fr-btn");
            browser.waitForPath("/my/consents/review");
            assertThat(browser.text("#notice")).contains("Vos données génomiques ne serviront qu’avec votre accord.");
            shot(run, who.equals("parent") ? "consent-review-parent" : "consent-review");
            browser.click("#confirm");
            browser.waitForPath("/my/recorded");
            assertThat(browser.text("#recorded")).contains(fr ? "Consentement donné" : "Consent given")
                    .contains(fr ? "Cohorte génomique" : "Genomic cohort");

            browser.open("/my/consents" + forMandate);
            browser.click("#given a");
            browser.waitForPath("/my/consents/withdrawal/review");
            browser.click("#confirm");
            browser.waitForPath("/my/recorded");
            assertThat(browser.text("#recorded")).contains(fr ? "Consentement retiré" : "Consent withdrawn");
        }
    }

    @Test
    @Order(4)
    void no_page_shows_an_error_in_the_console_or_an_accessibility_violation() {
        assertThat(browser.consoleErrors()).isEmpty();
        assertThat(browser.accessibilityViolations()).isEmpty();
    }

    private void upload(String projectId, String content, String run, String name) throws Exception {
        fillUpload(projectId, Files.writeString(files.resolve(name + "-" + run + ".txt"), content));
        if (name.equals("earlier")) {
            shot(run, "holder-upload");
        }
        browser.click("#upload");
        browser.waitForPath("/holder/deliveries/");
    }

    private void fillUpload(String projectId, Path extract) {
        browser.open("/holder");
        browser.select("#projectId", projectId);
        browser.select("#dataset", "DCIR");
        browser.find("#file").sendKeys(extract.toString());
    }

    private void shot(String run, String page) {
        browser.screenshot("scenario-" + run + "-" + page);
    }
}
