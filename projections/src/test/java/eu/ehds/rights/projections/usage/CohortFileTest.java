package eu.ehds.rights.projections.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CohortFileTest {

    @TempDir
    Path dir;

    @Test
    void holds_exactly_the_delivered_keys_across_several_sorting_runs() throws Exception {
        Random random = new Random(5);
        Set<Long> delivered = new HashSet<>();
        Path target = dir.resolve("cohorts").resolve("use-1.cohort");
        try (CohortFile.Writer writer = CohortFile.writer(dir.resolve("work"), 1_000)) { // forces ~10 runs
            for (int i = 0; i < 10_000; i++) {
                long key = i % 10 == 0 && !delivered.isEmpty() ? delivered.iterator().next() : random.nextLong();
                delivered.add(key);
                writer.add(key);
            }
            writer.add(0L);
            writer.add(-1L);
            delivered.add(0L);
            delivered.add(-1L);
            assertThat(writer.finish(target)).isEqualTo(delivered.size());
        }
        assertThat(Files.size(target)).isEqualTo(8L * delivered.size());
        for (long key : delivered) {
            assertThat(CohortFile.contains(target, key)).isTrue();
        }
        for (int i = 0; i < 10_000; i++) {
            long probe = random.nextLong();
            assertThat(CohortFile.contains(target, probe)).isEqualTo(delivered.contains(probe));
        }
        try (var runs = Files.list(dir.resolve("work"))) {
            assertThat(runs).isEmpty();
        }
    }

    @Test
    void an_empty_cohort_contains_nobody() throws Exception {
        Path target = dir.resolve("empty.cohort");
        try (CohortFile.Writer writer = CohortFile.writer(dir)) {
            assertThat(writer.finish(target)).isZero();
        }
        assertThat(CohortFile.contains(target, 42)).isFalse();
    }
}
