package eu.ehds.rights.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;
import org.yaml.snakeyaml.Yaml;

/** The application's log pattern writes one event as one line: text a caller sent cannot start a line of its own. */
class LogPatternTest {

    @Test
    void line_breaks_in_a_message_or_an_exception_never_start_a_line_of_their_own() throws Exception {
        PatternLayout layout = layout();
        IllegalStateException cause = new IllegalStateException("inner\nFORGED-CAUSE 2026-12-02 ERROR");
        RuntimeException failure = new RuntimeException("outer\u0085FORGED-NEL 2026-12-02 ERROR\u2028FORGED-LS",
                cause);
        String out = layout.doLayout(new LoggingEvent("test", new LoggerContext().getLogger("test"), Level.ERROR,
                "asked for 'x\r\nFORGED-MESSAGE 2026-12-02T00:00:00Z ERROR'", failure, null));

        assertThat(out).doesNotContain("\u0085", "\u2028", "\u2029"); // breaks to some viewers, not to lines()
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines.get(0)).contains("FORGED-MESSAGE");
        assertThat(lines).noneMatch(l -> l.startsWith("FORGED"));
        assertThat(lines).anyMatch(l -> l.startsWith("\tat ")); // the stack trace keeps its frames
        assertThat(lines).anyMatch(l -> l.startsWith("Caused by: ") && l.contains("FORGED-CAUSE"));
        assertThat(lines.stream().filter(l -> !l.startsWith("\t") && !l.startsWith("Caused by: "))
                .filter(l -> l.matches("^\\d{4}-\\d{2}-\\d{2}T.*"))).hasSize(1);
    }

    @SuppressWarnings("unchecked")
    private static PatternLayout layout() throws Exception {
        Map<String, Object> yml;
        try (InputStream in = LogPatternTest.class.getResourceAsStream("/application.yml")) {
            yml = new Yaml().load(in);
        }
        String pattern = (String) ((Map<String, Object>) ((Map<String, Object>) yml.get("logging")).get("pattern"))
                .get("console");
        LoggerContext context = new LoggerContext();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.getInstanceConverterMap().put("wEx", ExtendedWhitespaceThrowableProxyConverter::new);
        layout.setPattern(pattern.replace("${PID:-}", "1"));
        layout.start();
        return layout;
    }
}
