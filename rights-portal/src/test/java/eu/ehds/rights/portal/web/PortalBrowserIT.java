package eu.ehds.rights.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.portal.security.HolderAccounts;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.Browser;
import eu.ehds.rights.portal.support.DemoPeople;
import eu.ehds.rights.portal.support.EmbeddedLedger;
import eu.ehds.rights.portal.support.PortalSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The portal in a real browser (headless Chromium): a citizen signs in through the local identity provider, opts
 * out, downloads the receipt and has it verified, withdraws; a parent acts for their child; anyone browses the
 * register; a data holder uploads an extract. Screenshots of each main page go to {@code target/screenshots}.
 */
@ActiveProfiles("local-idp") // citizens sign in through the demonstration provider
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalBrowserIT {

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "portal-browser-it");
    }

    @LocalServerPort
    int port;

    @Autowired
    HolderAccounts holderAccounts;

    @Autowired
    eu.ehds.rights.projections.mandate.MandateProjection mandates;

    Browser browser;
    Path downloads;
    String projectId;
    String hipProjectId;
    String holderPassword;

    @BeforeAll
    void givenAPermittedProjectAMandateAndAHolderAccount() throws Exception {
        Api api = new Api(port);
        projectId = api.postAsAdmin("/api/v1/projects", "{\"title\":\"Asthma in children\",\"controller\":\"Inserm\","
                + "\"purposeCategory\":\"PUBLIC_HEALTH\",\"dataHolders\":[\"CNAM\"],\"datasets\":[\"DCIR\"],"
                + "\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2028-01-01\",\"idempotencyKey\":\"browser-prj-1\"}")
                .json().get("projectId").asString();
        api.postAsAdmin("/api/v1/projects/" + projectId + "/derogation", "{\"legalGround\":\"EHDS Art. 71(4)(a)\","
                + "\"justification\":\"Monitoring an epidemic of bronchiolitis\",\"idempotencyKey\":\"browser-der-1\"}");
        hipProjectId = api.postAsAdmin("/api/v1/projects", "{\"title\":\"Hospital stays after hip surgery\",\"controller\":\"AP-HP\","
                + "\"purposeCategory\":\"SCIENTIFIC_RESEARCH\",\"dataHolders\":[\"CNAM\"],\"datasets\":[\"PMSI\"],"
                + "\"plannedStart\":\"2026-03-01\",\"plannedEnd\":\"2027-03-01\",\"idempotencyKey\":\"browser-prj-2\"}")
                .json().get("projectId").asString();
        String mandateId = api.postAsAdmin("/api/v1/mandates", "{\"representative\":\"" + DemoPeople.NADIA_NIR + "\",\"represented\":\""
                + DemoPeople.LOUIS_NIR + "\",\"kind\":\"PARENT\",\"validUntil\":\"2035-01-01T00:00:00Z\","
                + "\"idempotencyKey\":\"browser-mdt-1\"}").json().get("mandateId").asString();
        for (int i = 0; i < 100 && mandates.find(mandateId).isEmpty(); i++) { // the read model follows the log
            Thread.sleep(100);
        }
        holderPassword = holderAccounts.create("cnam-browser", "CNAM").password();
        downloads = Files.createTempDirectory("portal-downloads-");
        browser = new Browser(port, downloads);
    }

    @BeforeEach
    void signedOut() {
        browser.signOutEverywhere();
    }

    @AfterAll
    void closeBrowser() {
        browser.close();
    }

    /**
     * On a phone (390 px wide, and 320 px, the narrowest still in use), no page scrolls sideways: tables scroll in
     * their own focusable region or reflow, long keys and notes wrap. Each page is screenshot at 1280 and at 390 px,
     * so axe-core and the console check see it at both widths.
     */
    @Test
    @Order(6)
    void no_page_scrolls_sideways_on_a_phone() {
        java.util.Map<String, String> overflowing = new java.util.LinkedHashMap<>();
        List<String> publicPages = List.of("/", "/register", "/register/" + projectId, "/statistics", "/verify",
                "/login", "/accessibility");
        List<String> citizenPages = List.of("/my", "/my/opt-outs/new", "/my/usages", "/my/notifications");
        List<String> holderPages = List.of("/holder", "/holder/api-keys");
        List<String> staffPages = List.of("/admin", "/admin/projects", "/admin/requests", "/admin/mandates",
                "/admin/data-holders", "/admin/findings", "/audit", "/audit/entry?leafIndex=0");
        try {
            for (int width : List.of(1280, 390, 320)) {
                browser.signOutEverywhere();
                browser.width(width);
                visit(width, publicPages, overflowing);
                browser.signInAsCitizen("camille", "en");
                visit(width, citizenPages, overflowing);
                browser.signOutEverywhere();
                browser.signIn("cnam-browser", holderPassword, "/holder");
                visit(width, holderPages, overflowing);
                browser.signOutEverywhere();
                browser.signIn("admin", Api.ADMIN_PASSWORD, "/admin");
                visit(width, staffPages, overflowing);
            }
        } finally {
            browser.width(1280);
        }
        assertThat(overflowing).as("pages that scroll sideways").isEmpty();
    }

    private void visit(int width, List<String> paths, java.util.Map<String, String> overflowing) {
        for (String path : paths) {
            browser.open(path);
            String over = browser.horizontalOverflow();
            if (!over.isEmpty()) {
                overflowing.put(width + " px " + path, over);
            }
            if (width != 320) {
                browser.screenshot(width + "-" + path.replace(projectId, "sheet").toLowerCase(java.util.Locale.ROOT)
                        .replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "").replaceAll("^$", "home"));
            }
        }
    }

    @Test
    @Order(7)
    void every_page_screenshot_meets_wcag_2_1_aa_as_axe_core_checks_it() {
        assertThat(browser.accessibilityViolations()).isEmpty();
    }

    @Test
    @Order(9)
    void without_javascript_the_menu_and_the_languages_are_still_reachable_on_a_phone() throws Exception {
        try (Browser plain = new Browser(port, downloads, false)) {
            plain.width(390);
            plain.open("/register?lang=fr");
            assertThat(plain.script("return document.documentElement.classList.contains('js')"))
                    .as("the page's own scripts did not run").isEqualTo(false);
            assertThat(plain.find("#navigation a[href='/statistics']").isDisplayed()).isTrue();
            assertThat(plain.find("a[hreflang=en]").isDisplayed()).isTrue();
            plain.screenshot("390-without-javascript-fr");
            plain.click("a[hreflang=en]");
            assertThat(plain.language()).isEqualTo("en");
            plain.screenshot("390-without-javascript");
            assertThat(plain.horizontalOverflow()).isEmpty();
        }
    }

    @Test
    @Order(8)
    void no_page_screenshot_shows_an_error_in_the_browser_console() {
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    @Order(1)
    void a_citizen_opts_out_downloads_and_verifies_the_receipt_then_withdraws() {
        browser.open("/");
        assertThat(browser.all(".fr-header .fr-logo")).as("the State's emblem").hasSize(1);
        assertThat(String.valueOf(browser.script("return getComputedStyle(document.body).fontFamily"))).startsWith("Marianne");
        browser.screenshot("01-home");
        assertThat(browser.script("return document.fonts.check('16px Marianne') && "
                + "[...document.fonts].some(f => f.family.includes('Marianne') && f.status == 'loaded')"))
                .as("Marianne is served by the portal itself and loaded").isEqualTo(true);
        browser.open("/login");
        browser.screenshot("02-sign-in");
        browser.click("#citizen-sign-in");
        browser.waitForPath("/idp/login");
        browser.screenshot("03-identity-provider");
        browser.type("#username", "camille");
        browser.type("#password", PortalSession.DEMO_PASSWORD);
        browser.click("button[type=submit]");
        browser.waitForPath("/my");
        assertThat(browser.text("#status")).contains("No opt-out is recorded");
        browser.screenshot("04-my-choices");

        browser.click("#opt-out");
        browser.click("#continue"); // nothing chosen: the form comes back with its error summary focused
        assertThat(browser.script("return document.activeElement.classList.contains('error-summary')")).isEqualTo(true);
        assertThat(String.valueOf(browser.script("return document.title"))).startsWith("Error: ");
        browser.screenshot("05-opt-out-error");
        browser.choose("#scope-GLOBAL");
        browser.screenshot("05-opt-out-choose");
        browser.clickText("Continue");
        assertThat(browser.pageText()).contains("You refuse every reuse")
                .contains("EHDS Article 71(3)").contains("Monitoring an epidemic"); // the derogation is told
        browser.screenshot("06-opt-out-review");
        browser.click("#confirm");
        browser.waitForPath("/my/recorded");
        assertThat(browser.text("#recorded")).contains("Opt-out recorded: every reuse");
        browser.screenshot("07-recorded");

        browser.click("#receipt");
        browser.waitForPath("/my/receipts/");
        String leaf = browser.text("#leaf-index");
        browser.screenshot("08-receipt");
        browser.choose("#download-receipt");
        Path receipt = browser.downloaded("receipt-" + leaf + ".json");

        browser.open("/verify");
        browser.find("#file").sendKeys(receipt.toString());
        browser.click("#verify");
        assertThat(browser.text("#result")).contains("The receipt is valid")
                .contains("we recorded for you your opt-out from every reuse of your data on this portal")
                .contains("the log has not been changed since");
        browser.screenshot("09-receipt-verified");

        browser.open("/my");
        assertThat(browser.text("#status")).contains("Opt-outs in force");
        browser.clickText("Withdraw this opt-out");
        browser.click("#confirm");
        browser.waitForPath("/my/recorded");
        assertThat(browser.text("#recorded")).contains("Opt-out withdrawn: every reuse");
        browser.open("/my");
        assertThat(browser.text("#status")).contains("No opt-out is recorded");
        assertThat(browser.pageText()).contains("Opt-out withdrawn: every reuse").contains("Opt-out recorded: every reuse");
        browser.open("/my?lang=fr");
        assertThat(browser.text("h1")).isEqualTo("Mes choix");
        browser.screenshot("10-my-choices-fr");
        browser.open("/my?lang=en");
    }

    @Test
    @Order(2)
    void a_parent_acts_for_their_child_under_the_mandate() {
        browser.signInAsCitizen("nadia", "en");
        browser.clickText("My own choices"); // the switcher lists herself and the child she represents
        browser.click("nav.panel li:nth-child(2) a");
        assertThat(browser.text("#acting-for")).contains("You are acting for another person").contains("parent");
        browser.screenshot("11-representative");

        browser.click("#opt-out");
        browser.choose("#scope-PURPOSE");
        browser.select("#purpose", "SCIENTIFIC_RESEARCH");
        browser.clickText("Continue");
        assertThat(browser.text("#acting-for")).contains("You are acting for another person");
        browser.click("#confirm");
        browser.waitForPath("/my/recorded");
        browser.click("#receipt");
        assertThat(browser.pageText()).contains("You, as representative"); // the parent is told they acted

        browser.clickText("Back to the choices");
        assertThat(browser.text("#status")).contains("Opt-outs in force");
        browser.clickText("Back to my own choices");
        assertThat(browser.text("#status")).contains("No opt-out is recorded"); // her own choices are untouched
    }

    @Test
    @Order(3)
    void anyone_browses_the_register_and_the_statistics() {
        browser.open("/register");
        browser.screenshot("12-register");
        browser.type("#q", "asthma");
        browser.clickText("Search");
        browser.waitForPath("/register?q=asthma");
        assertThat(browser.text("#projects")).contains("Asthma in children").doesNotContain("hip surgery");
        browser.clickText("Asthma in children");
        browser.waitForPath("/register/prj-");
        assertThat(browser.text("#derogation")).contains("Monitoring an epidemic of bronchiolitis");
        browser.screenshot("13-project-sheet");
        browser.open("/statistics");
        assertThat(browser.text("#checkpoint")).startsWith("rights-ledger.localhost/log");
        browser.screenshot("14-statistics");
    }

    @Test
    @Order(4)
    void a_data_holder_uploads_an_extract_and_gets_the_allowed_rows_and_certificate() throws Exception {
        Path extract = Files.createTempFile(downloads, "extract-", ".txt");
        Files.writeString(extract, DemoPeople.JEAN_NIR + "\n" + DemoPeople.CAMILLE_NIR + "\nnot an id\n");
        Api api = new Api(port); // a permit, and an opt-out recorded before it, so that one row is excluded
        api.postAsAdmin("/api/v1/opt-outs", "{\"person\":\"" + DemoPeople.CAMILLE_NIR + "\",\"scope\":{\"type\":"
                + "\"PROJECT\",\"value\":\"" + hipProjectId + "\"},\"channel\":\"POST\",\"idempotencyKey\":\"browser-oo-1\"}");
        api.postAsAdmin("/api/v1/projects/" + hipProjectId + "/permit", "{\"permitId\":\"HDAB-B-1\","
                + "\"idempotencyKey\":\"browser-permit-1\"}");

        browser.open("/login");
        browser.type("#username", "cnam-browser");
        browser.type("#password", holderPassword);
        browser.click("button[type=submit]");
        browser.waitForPath("/holder");
        browser.select("#projectId", hipProjectId);
        browser.select("#dataset", "PMSI"); // chosen from the datasets the sheets list
        browser.find("#file").sendKeys(extract.toString());
        browser.screenshot("15-holder-upload");
        browser.click("#upload");
        browser.waitForPath("/holder/deliveries/");
        assertThat(browser.text("#delivery-counts"))
                .isEqualTo("3 rows read: 1 allowed, 1 excluded by an opt-out, 1 unreadable.");
        browser.choose("#download-certificate");
        assertThat(Files.readString(browser.downloaded(browser.path().substring("/holder/deliveries/".length())
                + ".certificate.json"))).contains("\"excluded\":1").contains("\"signature\"");
        browser.screenshot("16-holder-delivery");
    }

    @Test
    @Order(5)
    void staff_and_auditors_have_their_pages() {
        browser.open("/login");
        browser.type("#username", "admin");
        browser.type("#password", Api.ADMIN_PASSWORD);
        browser.click("button[type=submit]");
        browser.waitForPath("/admin");
        browser.open("/admin/requests");
        browser.screenshot("17-admin-requests");
        browser.open("/admin/mandates");
        assertThat(browser.pageText()).contains("parent");
        browser.screenshot("18-admin-mandates");
        browser.open("/audit");
        assertThat(browser.text("#latest-checkpoint")).startsWith("rights-ledger.localhost/log");
        browser.screenshot("19-audit");
    }
}
