package eu.ehds.rights.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** French and English say the same things: same keys, same placeholders, and every key a page names exists. */
class MessagesTest {

    private static final Path RESOURCES = Path.of("src/main/resources");

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(RESOURCES.resolve(name), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    @Test
    void french_and_english_have_the_same_keys() throws IOException {
        Properties en = load("messages.properties");
        Properties fr = load("messages_fr.properties");

        assertThat(new TreeSet<>(fr.stringPropertyNames())).isEqualTo(new TreeSet<>(en.stringPropertyNames()));
    }

    @Test
    void each_message_has_the_same_placeholders_in_both_languages_and_formats() throws IOException {
        Properties en = load("messages.properties");
        Properties fr = load("messages_fr.properties");
        for (String key : en.stringPropertyNames()) {
            assertThat(placeholders(fr.getProperty(key, ""))).as(key).isEqualTo(placeholders(en.getProperty(key)));
            // ASCII apostrophes are quotes for MessageFormat: the bundles use typographic ones
            assertThat(en.getProperty(key)).as(key).doesNotContain("'");
            assertThat(fr.getProperty(key, "")).as(key).doesNotContain("'");
        }
    }

    /** Every message formats in both languages as the pages format it (ICU: counts chosen by plural rules). */
    @Test
    void every_message_formats_in_both_languages() throws IOException {
        IcuMessages messages = new IcuMessages();
        for (String key : load("messages.properties").stringPropertyNames()) {
            for (Locale locale : List.of(Locale.ENGLISH, Locale.FRENCH)) {
                assertThat(messages.getMessage(key, new Object[] {"1", "2", "3", "4", "5"}, locale)).as(key)
                        .doesNotContain("{");
            }
        }
    }

    @Test
    void counts_agree_with_their_nouns_in_french_and_english() {
        IcuMessages messages = new IcuMessages();
        assertThat(messages.getMessage("delivery.counts", new Object[] {1L, 1L, 0L, 0L}, Locale.FRENCH))
                .isEqualTo("1 ligne lue : 1 autorisée, 0 écartée par une opposition, 0 illisible.");
        assertThat(messages.getMessage("delivery.counts", new Object[] {3L, 2L, 1L, 0L}, Locale.FRENCH))
                .isEqualTo("3 lignes lues : 2 autorisées, 1 écartée par une opposition, 0 illisible.");
        assertThat(messages.getMessage("delivery.counts", new Object[] {1L, 1L, 0L, 0L}, Locale.ENGLISH))
                .isEqualTo("1 row read: 1 allowed, 0 excluded by an opt-out, 0 unreadable.");
        // a count carried as text by a refusal still chooses the plural
        assertThat(messages.getMessage("refusal.audit.no-such-entry", new Object[] {"7", "1", "0"}, Locale.ENGLISH))
                .isEqualTo("There is no entry 7: the log holds 1 entry, numbered 0.");
    }

    @Test
    void french_says_au_projet_and_a_la_reutilisation() {
        IcuMessages messages = new IcuMessages();
        assertThat(messages.getMessage("review.WITHDRAWAL.scope", new Object[] {"le projet « Asthme »", "PROJECT", "Asthme"},
                Locale.FRENCH)).isEqualTo("Vous retirez l’opposition au projet « Asthme ».");
        assertThat(messages.getMessage("review.WITHDRAWAL.scope", new Object[] {"toute réutilisation", "GLOBAL", ""},
                Locale.FRENCH)).isEqualTo("Vous retirez l’opposition à toute réutilisation.");
    }

    @Test
    void every_literal_key_a_template_names_exists() throws IOException {
        Set<String> keys = load("messages.properties").stringPropertyNames();
        Pattern literal = Pattern.compile("#\\{([a-zA-Z][a-zA-Z0-9_.]*)[}(]");
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> templates = Files.walk(RESOURCES.resolve("templates"))) {
            for (Path template : templates.filter(p -> p.toString().endsWith(".html")).toList()) {
                Matcher m = literal.matcher(Files.readString(template));
                while (m.find()) {
                    if (!keys.contains(m.group(1))) {
                        missing.add(RESOURCES.relativize(template) + ": " + m.group(1));
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void every_enum_value_a_page_names_by_prefix_exists() throws IOException {
        Set<String> keys = load("messages.properties").stringPropertyNames();
        Set<String> missing = new TreeSet<>();
        check(missing, keys, "purpose.", eu.ehds.rights.ledger.api.project.PurposeCategory.values());
        check(missing, keys, "channel.", eu.ehds.rights.ledger.api.common.Channel.values());
        check(missing, keys, "mandate.", eu.ehds.rights.ledger.api.mandate.MandateKind.values());
        check(missing, keys, "reason.", eu.ehds.rights.projections.decision.Reason.values());
        check(missing, keys, "status.", eu.ehds.rights.projections.register.ProjectSheet.Status.values());
        check(missing, keys, "rule.", eu.ehds.rights.projections.decision.RuleMode.values());
        for (int status : new int[] {400, 403, 404, 405, 409, 413, 429, 500}) {
            for (String part : new String[] {".title", ".text"}) {
                if (!keys.contains("error." + status + part)) {
                    missing.add("error." + status + part);
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    private static void check(Set<String> missing, Set<String> keys, String prefix, Enum<?>[] values) {
        for (Enum<?> value : values) {
            if (!keys.contains(prefix + value.name())) {
                missing.add(prefix + value.name());
            }
        }
    }

    private static Set<String> placeholders(String message) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile("\\{(\\d+)").matcher(message);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
