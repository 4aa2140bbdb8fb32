package eu.ehds.rights.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks that need no database run end to end at toy sizes, so a refactoring cannot silently break them. */
class StandaloneBenchmarksTest {

    @TempDir
    Path dir;

    @Test
    void bench_decisions_builds_the_read_model_and_times_decisions() {
        String printed = run("decisions", "--opt-outs=2000", "--population=30000");

        assertThat(printed).containsPattern("read model: 1,9\\d\\d persons opted out")
                .containsPattern("point decisions in process, one thread: [\\d.]+ M/s \\(\\d+ excluded");
    }

    @Test
    void bench_filter_filters_a_synthetic_extract() {
        String printed = run("filter", "--rows=5000", "--population=30000", "--opt-outs=2000",
                "--dir=" + dir);

        assertThat(printed).contains("ours: 5,000 rows -> ").contains(", 0 errors; best of 3:");
    }

    private static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = Benchmarks.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        return printed;
    }
}
