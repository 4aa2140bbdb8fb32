package eu.ehds.rights.ledger.store;

import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Batches written at the same time that touch none of each other's aggregates or idempotency keys (those of one
 * registry import: no person is in two of them at once). Each records here the leaves it appends, under the log's lock
 * and until its transaction ends, so that one of them that read the log without the lock can tell, once it holds the
 * lock, whether everything appended since its reads was theirs: what it read is then still true.
 */
public final class DisjointBatches {

    /** Ranges kept: a batch needs those appended while it was reading and validating, a few at most. */
    private static final int KEPT = 64;

    private final ConcurrentSkipListMap<Long, Long> appended = new ConcurrentSkipListMap<>(); // first leaf -> end

    void appending(long first, long end) {
        appended.put(first, end);
        while (appended.size() > KEPT) {
            appended.pollFirstEntry(); // a batch that read before it is found outdated and read again: never wrong
        }
    }

    /** Called before the transaction that appended them ends without a commit (the lock still held). */
    void rolledBack(long first, long end) {
        appended.remove(first, end);
    }

    /** Whether the leaves from {@code from} to {@code to} (excluded) are exactly leaves these batches appended. */
    boolean appendedAll(long from, long to) {
        long at = from;
        while (at < to) {
            Long end = appended.get(at);
            if (end == null) {
                return false;
            }
            at = end;
        }
        return at == to;
    }
}
