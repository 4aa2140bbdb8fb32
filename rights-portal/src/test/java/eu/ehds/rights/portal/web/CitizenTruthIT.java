package eu.ehds.rights.portal.web;

import static eu.ehds.rights.portal.support.DemoPeople.CAMILLE_NIR;
import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.EmbeddedLedger;
import eu.ehds.rights.portal.support.Nirs;
import eu.ehds.rights.portal.support.Pause;
import eu.ehds.rights.portal.support.PortalSession;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a citizen is told must be exactly true. Camille opts out globally after project "Before" got its permit and
 * before projects "After" and "Derogation" got theirs ("Derogation" also holds a public-interest derogation). Then:
 * an extract of "Before" that held her (she received: her opt-out came after the permit), one of "After" that held her
 * (the filter left her out), one of "After" that did not hold her (not hers), one of "Derogation" that held her
 * (received, under the derogation), and an upload to "Before" in which no row could be read (not a delivery at all).
 */
@ActiveProfiles("local-idp")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CitizenTruthIT {

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "citizen-truth-it");
        registry.add("portal.sign-ins-per-minute", () -> "10000");
    }

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    eu.ehds.rights.portal.security.HolderAccounts holderAccounts;

    private Api api;
    private String before;
    private String after;
    private String derogation;
    private String holderKey;
    private PortalSession camille;
    private String reviewPage;
    private long optOutLeaf;

    @BeforeAll
    void givenCamillesOptOutBetweenPermitsAndFiveUploads() {
        api = new Api(port);
        before = project("Before", "truth-before");
        after = project("After", "truth-after");
        derogation = project("Derogation", "truth-derogation");
        permit(before, "truth-permit-before");
        Pause.millis(20);

        camille = new PortalSession(port);
        camille.signInAsCitizen("camille");
        camille.get("/my/opt-outs/new");
        PortalSession.Page review = camille.post("/my/opt-outs/review", Map.of("scopeType", "GLOBAL"));
        reviewPage = review.body();
        PortalSession.Page recorded = camille.post("/my/opt-outs", Map.of("scopeType", "GLOBAL", "idempotencyKey",
                review.input("idempotencyKey")));
        Matcher leaf = Pattern.compile("leaf=(\\d+)").matcher(recorded.location());
        assertThat(leaf.find()).as(recorded.location()).isTrue();
        optOutLeaf = Long.parseLong(leaf.group(1));
        Pause.millis(20);

        permit(after, "truth-permit-after");
        permit(derogation, "truth-permit-derogation");
        assertThat(api.postAsAdmin("/api/v1/projects/" + derogation + "/derogation", "{\"legalGround\":\"Public health "
                + "code L1461-3\",\"justification\":\"Pandemic surveillance\",\"idempotencyKey\":\"truth-derog\"}")
                .status()).isEqualTo(201);
        holderKey = api.postAsAdmin("/api/v1/data-holders/CNAM/api-keys", "{}").json().get("apiKey").asString();
        api.awaitDecisions();

        assertThat(filter(before, CAMILLE_NIR + "\n" + Nirs.anyNir() + "\n").status()).isEqualTo(200);
        assertThat(filter(after, Nirs.anyNir() + "\n" + CAMILLE_NIR + "\n").status()).isEqualTo(200);
        assertThat(filter(after, Nirs.anyNir() + "\n").status()).isEqualTo(200);
        assertThat(filter(derogation, CAMILLE_NIR + "\n").status()).isEqualTo(200);
    }

    @Test
    void an_upload_in_which_no_row_could_be_read_is_an_error_and_no_delivery() {
        int deliveriesBefore = deliveries(before);
        assertThat(deliveriesBefore).as("the extract that was read counts").isEqualTo(1);
        Api.Response unreadable = filter(before, "not an identifier\nneither is this\n");
        assertThat(unreadable.status()).as(unreadable.body()).isEqualTo(400);
        assertThat(unreadable.body()).contains("no row of the extract could be read");
        assertThat(unreadable.header("Filter-Id")).isNull();
        Pause.millis(500);
        assertThat(deliveries(before)).as("counted on the public sheet").isEqualTo(deliveriesBefore);
    }

    @Test
    void who_used_my_data_lists_what_happened_to_me_and_nothing_else() {
        String page = usagesPage();
        String received = section(page, "id=\"included\"");
        String excluded = section(page, "id=\"excluded\"");
        assertThat(received).contains("Truth Before").contains("Truth Derogation").doesNotContain("Truth After");
        assertThat(count(excluded, "Truth After")).as("the extract without her is not hers").isEqualTo(1);
        assertThat(excluded).doesNotContain("Truth Before");
    }

    @Test
    void each_opt_out_that_did_not_apply_says_why_with_its_dates_in_english_and_french() {
        String page = usagesPage();
        // dates with their time: an opt-out and a permit of the same day are told apart
        assertThat(page).containsPattern("Your opt-out of \\w+ \\d{1,2}, \\d{4},? (at )?\\d{1,2}:\\d{2}\\W*[AP]M did not apply "
                + "to this project: its permit was granted on \\w+ \\d{1,2}, \\d{4},? (at )?\\d{1,2}:\\d{2}\\W*[AP]M, before your opt-out");
        assertThat(page).contains("public-interest exception").contains("Public health code L1461-3")
                .contains("Pandemic surveillance");
        String french = camille.get("/my/usages?lang=fr").body();
        assertThat(french).containsPattern("Votre opposition du \\d{1,2}(er)? [^ ]+ \\d{4},? (à )?\\d{1,2}:\\d{2} ne s’est pas appliquée");
        assertThat(french).contains("exception d’intérêt public");
        camille.get("/my?lang=en");
    }

    @Test
    void the_review_page_names_the_projects_already_permitted_that_keep_the_data() {
        String named = section(reviewPage, "id=\"still-permitted\"");
        assertThat(named).contains("Truth Before").doesNotContain("Truth After").doesNotContain("Truth Derogation");
    }

    @Test
    void refusing_one_project_that_already_holds_a_permit_says_plainly_that_it_changes_nothing_for_it_today() {
        PortalSession jean = new PortalSession(port);
        jean.signInAsCitizen("jean");
        String permitted = jean.post("/my/opt-outs/review", Map.of("scopeType", "PROJECT", "projectId", before)).body();
        assertThat(section(permitted, "id=\"project-already-permitted\"")).contains("changes nothing today")
                .contains("before this opt-out");
        assertThat(permitted).doesNotContain("From now on, the data is left out");

        String notYet = project("Not yet permitted", "truth-not-yet");
        for (int i = 0; i < 100 && jean.get("/register/" + notYet).status() != 200; i++) {
            Pause.millis(50); // the register follows the log
        }
        String unpermitted = jean.get("/my/opt-outs/review?scopeType=PROJECT&projectId=" + notYet).body();
        assertThat(unpermitted).doesNotContain("project-already-permitted").contains("From now on, the data is left out");
    }

    @Test
    void a_verified_receipt_says_what_was_recorded_when_and_how_in_the_readers_language() {
        String receipt = camille.get("/my/receipts/" + optOutLeaf + ".json").body();
        PortalSession anyone = new PortalSession(port);
        anyone.get("/verify");
        String english = anyone.post("/verify", Map.of("receipt", receipt)).body();
        assertThat(english).containsPattern("On \\w+ \\d{1,2}, \\d{4} at \\d{1,2}:\\d{2}.{0,4} \\(Paris time\\), we "
                + "recorded for you your opt-out from every reuse of your data on this portal\\. This record is entry "
                + optOutLeaf + " of the public log, and the log has not been changed since\\.");
        anyone.get("/verify?lang=fr");
        String french = anyone.post("/verify", Map.of("receipt", receipt)).body();
        assertThat(french).containsPattern("Le \\d{1,2}(er)? [^ ]+ \\d{4} à \\d{2}:\\d{2} \\(heure de Paris\\), nous avons "
                + "enregistré pour vous votre opposition à toute réutilisation de vos données sur ce portail\\. Cet "
                + "enregistrement est l’entrée " + optOutLeaf + " du journal public");

        // a receipt altered after it was issued: what failed is said in plain view, not only in the closed details
        String altered = receipt.replace("\"GLOBAL\"", "\"PROJECT\"");
        assertThat(altered).isNotEqualTo(receipt);
        String refused = anyone.post("/verify", Map.of("receipt", altered)).body();
        assertThat(refused).contains("id=\"failure\"").contains("Ce qui a échoué");
        anyone.get("/verify?lang=en");
    }

    @Test
    void an_invalid_email_address_comes_back_as_typed_to_be_corrected() {
        PortalSession.Page refused = camille.post("/my/notifications/contact", Map.of("email", "camille.example.org"));
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.body()).contains("value=\"camille.example.org\"").contains("aria-invalid=\"true\"");
    }

    @Test
    void object_to_a_use_from_a_project_sheet_preselects_that_project_across_sign_in() {
        PortalSession jean = new PortalSession(port);
        String sheet = jean.get("/register/" + after).body();
        Matcher link = Pattern.compile("id=\"object-to-project\" href=\"([^\"]+)\"").matcher(sheet);
        assertThat(link.find()).as("the sheet links to the opt-out for this project").isTrue();
        assertThat(jean.get(link.group(1).replace("&amp;", "&")).location()).endsWith("/login");

        String form = jean.signInAsCitizen("jean").body();
        assertThat(form).containsPattern("id=\"scope-PROJECT\"[^>]*checked");
        assertThat(form).containsPattern("value=\"" + after + "\"[^>]*selected");
    }

    @Test
    void a_refused_upload_keeps_the_holder_on_the_form_with_the_error_next_to_its_field() {
        PortalSession holder = new PortalSession(port);
        holder.signIn("cnam-truth", holderAccounts.create("cnam-truth", "CNAM").password());
        holder.get("/holder?lang=fr");

        PortalSession.Page unreadable = holder.uploadExtract(after, "DCIR", "extract.txt", "rien\nnon plus\n");
        assertThat(unreadable.status()).isEqualTo(400);
        assertThat(unreadable.body()).contains("id=\"file-error\"").contains("Aucune ligne du fichier n’a pu être lue")
                .containsPattern("value=\"" + after + "\"[^>]*selected").contains("id=\"upload-form\"");

        PortalSession.Page wrongDataset = holder.uploadExtract(after, "PMSI", "extract.txt", CAMILLE_NIR + "\n");
        assertThat(wrongDataset.status()).isEqualTo(400);
        assertThat(wrongDataset.body()).contains("id=\"dataset-error\"").contains("La base PMSI ne figure pas");

        // a delivery with unreadable rows lists them in the holder's language
        PortalSession.Page delivered = holder.uploadExtract(after, "DCIR", "extract.txt",
                Nirs.anyNir() + "\n12345\n" + CAMILLE_NIR.substring(0, 13) + "00\n");
        assertThat(delivered.status()).as(delivered.body()).isEqualTo(302);
        String errors = holder.get(delivered.location().replaceAll("^https?://[^/]+", "") + "/errors").body();
        assertThat(errors).contains("un NIR compte 15 caractères (13 et une clé de 2 chiffres) ; celui-ci en a 5")
                .contains("la clé d’un NIR (ses deux derniers chiffres) doit être comprise entre 01 et 97")
                .doesNotContain("invalid NIR");
        holder.get("/holder?lang=en");
    }

    @Test
    void a_representative_names_the_person_they_represent_and_the_history_says_who_acted() {
        String mandate = api.postAsAdmin("/api/v1/mandates", "{\"representative\":\""
                + eu.ehds.rights.portal.support.DemoPeople.NADIA_NIR + "\",\"represented\":\""
                + eu.ehds.rights.portal.support.DemoPeople.LOUIS_NIR + "\",\"kind\":\"PARENT\",\"validUntil\":"
                + "\"2035-01-01T00:00:00Z\",\"idempotencyKey\":\"truth-mandate\"}").json().get("mandateId").asString();
        PortalSession nadia = new PortalSession(port);
        nadia.signInAsCitizen("nadia");
        for (int i = 0; i < 100 && nadia.get("/my?for=" + mandate).status() != 200; i++) {
            Pause.millis(100); // the mandates' read model follows the log
        }
        PortalSession.Page named = nadia.post("/my/mandates/" + mandate + "/label", Map.of("label", "Louis"));
        assertThat(named.status()).isEqualTo(302);
        String page = nadia.get("/my?for=" + mandate).body();
        assertThat(page).contains("Choices of Louis").contains("You are acting for Louis")
                .contains("<title>Choices of Louis").contains("about the health of Louis, Louis may be told")
                .doesNotContain("about your health");
        String review = nadia.get("/my/opt-outs/review?scopeType=GLOBAL&for=" + mandate + "&lang=fr").body();
        assertThat(review).contains("Les soins et les remboursements de Louis ne changent pas")
                .doesNotContain("Vos soins");
        nadia.get("/my?lang=en");
        assertThat(nadia.get("/my").body()).contains("Louis, whom I represent as");
        nadia.optOut(mandate);
        assertThat(nadia.get("/my?for=" + mandate).body()).contains("You, as representative");
        // a review with nothing left to change (Back after confirming) leads to the same person's choices
        PortalSession.Page nothingToChange = nadia.get("/my/objection/review?choice=ACCEPT&for=" + mandate);
        assertThat(nothingToChange.status()).isEqualTo(302);
        assertThat(nothingToChange.location()).endsWith("/my?for=" + mandate);
        assertThat(nadia.get("/my/usages?for=" + mandate).body()).contains("You are acting for Louis");
        assertThat(nadia.get("/my?for=" + mandate + "&lang=fr").body()).contains("Les choix de Louis")
                .contains("Vous, en tant que représentant");
        nadia.get("/my?lang=en");

        PortalSession louis = new PortalSession(port);
        louis.signInAsCitizen("louis");
        assertThat(louis.get("/my").body()).contains("A legal representative").doesNotContain("Louis’s");
        assertThat(nadia.post("/my/mandates/" + mandate + "/label", Map.of("label", " ")).status()).isEqualTo(400);
    }

    // --- helpers

    private String usagesPage() {
        for (int i = 0; i < 100; i++) {
            String page = camille.get("/my/usages").body();
            if (page.contains("Truth Derogation") && page.contains("Truth After")) {
                return page;
            }
            Pause.millis(100); // the usage register follows the log
        }
        throw new IllegalStateException("the usages did not show");
    }

    private static String section(String page, String marker) {
        int start = page.indexOf(marker);
        assertThat(start).as(marker).isNotNegative();
        int end = page.indexOf("</table>", start);
        return page.substring(start, end < 0 ? page.length() : end);
    }

    private static int count(String text, String word) {
        Matcher m = Pattern.compile(Pattern.quote(word)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private Api.Response filter(String project, String rows) {
        return api.postWithApiKey("/api/v1/extracts/filter?projectId=" + project + "&dataset=DCIR", rows, holderKey);
    }

    private int deliveries(String project) {
        String sheet = new PortalSession(port).get("/register/" + project).body();
        Matcher m = Pattern.compile("data-count=\"(\\d+)\"").matcher(sheet);
        assertThat(m.find()).as("the sheet states its deliveries").isTrue();
        return Integer.parseInt(m.group(1));
    }

    private String project(String title, String key) {
        return api.postAsAdmin("/api/v1/projects", "{\"title\":\"Truth " + title + "\",\"controller\":\"Inserm\","
                + "\"purposeCategory\":\"PUBLIC_HEALTH\",\"dataHolders\":[\"CNAM\"],\"datasets\":[\"DCIR\"],"
                + "\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2030-01-01\",\"idempotencyKey\":\"" + key + "\"}")
                .json().get("projectId").asString();
    }

    private void permit(String project, String key) {
        assertThat(api.postAsAdmin("/api/v1/projects/" + project + "/permit", "{\"permitId\":\"P-" + key
                + "\",\"idempotencyKey\":\"" + key + "\"}").status()).isEqualTo(201);
    }
}
