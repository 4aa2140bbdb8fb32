package eu.ehds.rights.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DisjointBatchesTest {

    @Test
    void leaves_appended_since_a_read_are_accepted_only_if_these_batches_appended_them_all() {
        // given two batches that appended leaves 100 to 149 and 150 to 159
        DisjointBatches batches = new DisjointBatches();
        batches.appending(100, 150);
        batches.appending(150, 160);

        // then a batch that read at 100 accepts a log grown to 150 or 160, or not grown
        assertThat(batches.appendedAll(100, 150)).isTrue();
        assertThat(batches.appendedAll(100, 160)).isTrue();
        assertThat(batches.appendedAll(150, 160)).isTrue();
        assertThat(batches.appendedAll(160, 160)).isTrue();
        // but not one grown by another writer, before, between or after them, or read in the middle of a batch
        assertThat(batches.appendedAll(99, 160)).isFalse();
        assertThat(batches.appendedAll(100, 161)).isFalse();
        assertThat(batches.appendedAll(100, 155)).isFalse();
        assertThat(batches.appendedAll(120, 160)).isFalse();
    }

    @Test
    void a_batch_rolled_back_no_longer_counts_and_another_may_append_the_same_leaves() {
        // given a batch that appended leaves 10 to 19, then rolled back
        DisjointBatches batches = new DisjointBatches();
        batches.appending(10, 20);
        batches.rolledBack(10, 20);

        // then leaves 10 to 19, appended by someone else, are not taken for the batch's
        assertThat(batches.appendedAll(10, 20)).isFalse();

        // and when another of the batches appends leaves 10 to 14, they are its own
        batches.appending(10, 15);
        assertThat(batches.appendedAll(10, 15)).isTrue();
        assertThat(batches.appendedAll(10, 20)).isFalse();
    }

    @Test
    void keeps_the_latest_ranges_only_so_memory_does_not_grow_with_an_import() {
        // given 10,000 batches of ten leaves each
        DisjointBatches batches = new DisjointBatches();
        for (long first = 0; first < 100_000; first += 10) {
            batches.appending(first, first + 10);
        }

        // then the latest are known, the oldest forgotten (a batch that read that long ago is taken as outdated)
        assertThat(batches.appendedAll(99_500, 100_000)).isTrue();
        assertThat(batches.appendedAll(0, 100_000)).isFalse();
    }
}
