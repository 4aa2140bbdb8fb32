package eu.ehds.rights.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DisjointBatchesTest {

    @Test
    void leaves_appended_since_a_read_are_claimed_only_if_these_batches_appended_them_all() {
        // given two batches that appended leaves 100 to 149 and 150 to 159
        DisjointBatches batches = new DisjointBatches();
        batches.appending(100, 150, "event-a");
        batches.appending(150, 160, "event-b");

        // then a batch that read at 100 finds a log grown to 150 or 160 theirs, each range named by its first event
        assertThat(batches.claimed(100, 150)).isEqualTo(Map.of(100L, "event-a"));
        assertThat(batches.claimed(100, 160)).isEqualTo(Map.of(100L, "event-a", 150L, "event-b"));
        assertThat(batches.claimed(150, 160)).isEqualTo(Map.of(150L, "event-b"));
        // but not one grown by another writer, before, between or after them, or read in the middle of a batch
        assertThat(batches.claimed(99, 160)).isNull();
        assertThat(batches.claimed(100, 161)).isNull();
        assertThat(batches.claimed(100, 155)).isNull();
        assertThat(batches.claimed(120, 160)).isNull();
    }

    @Test
    void a_batch_appending_the_leaves_of_one_that_did_not_commit_replaces_its_claim() {
        // given a batch that claimed leaves 10 to 19 and did not commit, and another that then appended 10 to 14
        DisjointBatches batches = new DisjointBatches();
        batches.appending(10, 20, "event-a");
        batches.appending(10, 15, "event-b");

        // then leaves 10 to 14 are claimed by the second, and 15 to 19 by none
        assertThat(batches.claimed(10, 15)).isEqualTo(Map.of(10L, "event-b"));
        assertThat(batches.claimed(10, 20)).isNull();
    }

    @Test
    void keeps_the_latest_ranges_only_so_memory_does_not_grow_with_an_import() {
        // given 10,000 batches of ten leaves each
        DisjointBatches batches = new DisjointBatches();
        for (long first = 0; first < 100_000; first += 10) {
            batches.appending(first, first + 10, "event-" + first);
        }

        // then the latest are known, the oldest forgotten (a batch that read that long ago is taken as outdated)
        assertThat(batches.claimed(99_500, 100_000)).hasSize(50);
        assertThat(batches.claimed(0, 100_000)).isNull();
    }
}
