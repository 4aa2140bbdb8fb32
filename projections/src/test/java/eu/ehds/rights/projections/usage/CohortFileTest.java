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
            assertThat(writer.finish(target).count()).isEqualTo(delivered.size());
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
    void accepts_an_uploaded_cohort_only_when_sorted_whole_bounded_and_matching_its_hash() throws Exception {
        Path written = dir.resolve("mine.cohort");
        CohortFile.Written mine;
        try (CohortFile.Writer writer = CohortFile.writer(dir.resolve("work"))) {
            for (long k : new long[] {5, -3, 99, 5}) {
                writer.add(k);
            }
            mine = writer.finish(written);
        }
        byte[] bytes = Files.readAllBytes(written);
        Path target = dir.resolve("cohorts").resolve("use-2.cohort");
        assertThat(CohortFile.accept(new java.io.ByteArrayInputStream(bytes), target, 3, mine.sha256()).count()).isEqualTo(3);
        assertThat(CohortFile.contains(target, -3)).isTrue();

        Path other = dir.resolve("cohorts").resolve("use-3.cohort");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CohortFile.accept(
                new java.io.ByteArrayInputStream(bytes), other, 2, mine.sha256())).hasMessageContaining("more persons");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CohortFile.accept(
                new java.io.ByteArrayInputStream(java.util.Arrays.copyOf(bytes, 20)), other, 3, mine.sha256()))
                .hasMessageContaining("8-byte");
        byte[] unsorted = bytes.clone();
        System.arraycopy(bytes, 0, unsorted, 8, 8);
        System.arraycopy(bytes, 8, unsorted, 0, 8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CohortFile.accept(
                new java.io.ByteArrayInputStream(unsorted), other, 3, mine.sha256())).hasMessageContaining("increasing");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CohortFile.accept(
                new java.io.ByteArrayInputStream(bytes), other, 3, "0".repeat(64))).hasMessageContaining("cohortKeysSha256");
        assertThat(Files.exists(other)).isFalse();
    }

    @Test
    void an_empty_cohort_contains_nobody() throws Exception {
        Path target = dir.resolve("empty.cohort");
        try (CohortFile.Writer writer = CohortFile.writer(dir)) {
            assertThat(writer.finish(target).count()).isZero();
        }
        assertThat(CohortFile.contains(target, 42)).isFalse();
    }
}
