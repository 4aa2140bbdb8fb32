package eu.ehds.rights.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.portal.security.HolderAccounts;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.EmbeddedLedger;
import eu.ehds.rights.portal.support.Nirs;
import eu.ehds.rights.portal.support.PortalSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * No English on French pages and no French on English pages: every page a citizen, a data holder, staff or the
 * public reaches is read in both languages and its visible text searched for the other language's commonest words.
 * Text the page marks as in another language ({@code lang}), identifiers and keys ({@code .mono}, {@code code},
 * {@code pre}) and the data people entered (project titles here carry no such word) are left aside.
 */
@ActiveProfiles("local-idp")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageLanguageIT {

    private static final Set<String> ENGLISH = Set.of("the", "and", "your", "you", "is", "are", "this", "that", "with",
            "from", "was", "has", "been", "which", "will", "into", "their", "there", "these", "what", "when", "who",
            "not", "of", "to", "in", "on", "for");
    private static final Set<String> FRENCH = Set.of("le", "la", "les", "des", "du", "une", "est", "sont", "vous",
            "votre", "vos", "avec", "pour", "dans", "sur", "pas", "qui", "que", "été", "aux", "au", "ce", "cette");

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "page-language-it");
        registry.add("portal.sign-ins-per-minute", () -> "10000");
    }

    @LocalServerPort
    int port;

    @Autowired
    HolderAccounts holderAccounts;

    private final Map<String, PortalSession> sessions = new LinkedHashMap<>();
    private final Map<String, List<String>> pages = new LinkedHashMap<>();
    private String project;
    private String receipt;

    @BeforeAll
    void givenAProjectAnOptOutADeliveryAndEveryKindOfVisitor() {
        Api api = new Api(port);
        project = api.postAsAdmin("/api/v1/projects", "{\"title\":\"Cohorte ALPHA\",\"controller\":\"Inserm\","
                + "\"purposeCategory\":\"PUBLIC_HEALTH\",\"dataHolders\":[\"CNAM\"],\"datasets\":[\"DCIR\"],"
                + "\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2030-01-01\",\"idempotencyKey\":\"lang-prj\"}")
                .json().get("projectId").asString();
        api.postAsAdmin("/api/v1/projects/" + project + "/permit", "{\"permitId\":\"HDH-1\",\"idempotencyKey\":"
                + "\"lang-permit\"}");

        PortalSession citizen = new PortalSession(port);
        citizen.signInAsCitizen("camille");
        long leaf = citizen.optOut(null);
        receipt = citizen.get("/my/receipts/" + leaf + ".json").body();
        sessions.put("citizen", citizen);
        PortalSession holder = new PortalSession(port);
        holder.signIn("cnam-lang", holderAccounts.create("cnam-lang", "CNAM").password());
        PortalSession.Page uploaded = holder.uploadExtract(project, "DCIR", "extract.txt", Nirs.anyNir() + "\n");
        String filterId = uploaded.location().substring(uploaded.location().lastIndexOf('/') + 1);
        sessions.put("holder", holder);
        PortalSession admin = new PortalSession(port);
        admin.signIn("admin", Api.ADMIN_PASSWORD);
        sessions.put("admin", admin);
        sessions.put("anonymous", new PortalSession(port));

        pages.put("anonymous", List.of("/", "/register", "/register/" + project, "/statistics", "/verify", "/login",
                "/accessibility"));
        pages.put("citizen", List.of("/my", "/my/opt-outs/new", "/my/usages", "/my/notifications",
                "/my/receipts/" + leaf, "/my/recorded?leaf=" + leaf));
        pages.put("holder", List.of("/holder", "/holder/deliveries/" + filterId, "/holder/api-keys"));
        pages.put("admin", List.of("/admin", "/admin/projects", "/admin/projects/" + project, "/admin/requests",
                "/admin/data-holders", "/admin/mandates", "/admin/findings", "/audit", "/audit/entry?leafIndex=0"));
    }

    @Test
    void french_pages_hold_no_english_and_english_pages_no_french() {
        Map<String, Set<String>> wrong = new LinkedHashMap<>();
        for (String language : List.of("fr", "en")) {
            for (Map.Entry<String, List<String>> visitor : pages.entrySet()) {
                PortalSession session = sessions.get(visitor.getKey());
                session.get("/?lang=" + language);
                for (String path : visitor.getValue()) {
                    PortalSession.Page page = session.get(path);
                    assertThat(page.status()).as(path).isEqualTo(200);
                    Set<String> found = foreignWords(page.body(), language.equals("fr") ? ENGLISH : FRENCH);
                    if (!found.isEmpty()) {
                        wrong.put(language + " " + path, found);
                    }
                }
            }
        }
        assertThat(wrong).as("pages with words of the other language").isEmpty();
    }

    @Test
    void a_sheet_shows_its_title_and_summary_in_the_page_language_and_search_finds_both_without_accents() {
        String bilingual = new Api(port).postAsAdmin("/api/v1/projects", "{\"title\":\"Étude du diabète\","
                + "\"titleEn\":\"Diabetes study\",\"summaryFr\":\"Comprendre comment le diabète évolue.\","
                + "\"summaryEn\":\"Understanding how diabetes develops.\",\"controller\":\"Inserm\","
                + "\"purposeCategory\":\"SCIENTIFIC_RESEARCH\",\"dataHolders\":[\"CNAM\"],\"datasets\":[\"DCIR\"],"
                + "\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2030-01-01\",\"idempotencyKey\":\"lang-bilingual\"}")
                .json().get("projectId").asString();
        PortalSession anyone = new PortalSession(port);
        String english = "";
        for (int i = 0; i < 100 && !english.contains("Diabetes study"); i++) {
            english = anyone.get("/register/" + bilingual + "?lang=en").body(); // the register follows the log
            eu.ehds.rights.portal.support.Pause.millis(50);
        }
        assertThat(english).contains("<h1>Diabetes study</h1>").contains("Understanding how diabetes develops.");
        String french = anyone.get("/register/" + bilingual + "?lang=fr").body();
        assertThat(french).contains("<h1>Étude du diabète</h1>").contains("Comprendre comment le diabète évolue.");
        assertThat(anyone.get("/register?q=etude+diabete").body()).contains(bilingual);
        assertThat(anyone.get("/register?q=DIABETES+study").body()).contains(bilingual);
        anyone.get("/?lang=en");
    }

    @Test
    void pages_that_answer_a_form_are_in_the_page_language_too() {
        Map<String, Set<String>> wrong = new LinkedHashMap<>();
        for (String language : List.of("fr", "en")) {
            Set<String> markers = language.equals("fr") ? ENGLISH : FRENCH;
            PortalSession citizen = sessions.get("citizen");
            citizen.get("/my/opt-outs/new?lang=" + language);
            check(wrong, language + " review", citizen.post("/my/opt-outs/review", Map.of("scopeType", "PROJECT",
                    "projectId", project)), markers);
            PortalSession anyone = sessions.get("anonymous");
            anyone.get("/verify?lang=" + language);
            check(wrong, language + " verified", anyone.post("/verify", Map.of("receipt", receipt)), markers);
            check(wrong, language + " not a receipt", anyone.post("/verify", Map.of("receipt", "{}")), markers);
            PortalSession holder = sessions.get("holder");
            holder.get("/holder?lang=" + language);
            check(wrong, language + " refused upload", holder.uploadExtract(project, "DCIR", "x.txt", "rien\n"), markers);
        }
        assertThat(wrong).as("answers with words of the other language").isEmpty();
    }

    private static void check(Map<String, Set<String>> wrong, String what, PortalSession.Page page, Set<String> markers) {
        Set<String> found = foreignWords(page.body(), markers);
        if (!found.isEmpty()) {
            wrong.put(what, found);
        }
    }

    /** The other language's marker words in the page's visible text. */
    static Set<String> foreignWords(String html, Set<String> markers) {
        String text = html.replaceAll("(?s)<(script|style|pre|code)[^>]*>.*?</\\1>", " ")
                .replaceAll("(?s)<(?!html)([a-z]+)[^>]*\\blang=\"[a-z]+\"[^>]*>.*?</\\1>", " ") // marked as such
                .replaceAll("(?s)<(li|a|span|p|dd|td)[^>]*class=\"[^\"]*mono[^\"]*\"[^>]*>.*?</\\1>", " ")
                .replaceAll("(?s)<[^>]+>", " ").replace("&nbsp;", " ").replace("&#39;", "'");
        Set<String> found = new TreeSet<>();
        // words only: letters between digits (a hash, "…e1ebe1ce…") are not words of any language
        Matcher word = Pattern.compile("(?<![\\p{L}\\p{N}])[\\p{L}’']+(?![\\p{L}\\p{N}])").matcher(text);
        while (word.find()) {
            String w = word.group().toLowerCase(Locale.ROOT);
            if (markers.contains(w)) {
                int from = Math.max(0, word.start() - 40);
                found.add(w + " in \"" + text.substring(from, Math.min(text.length(), word.end() + 40))
                        .replaceAll("\\s+", " ").strip() + "\"");
            }
        }
        List<String> sample = new ArrayList<>(found);
        return new TreeSet<>(sample.subList(0, Math.min(6, sample.size())));
    }
}
