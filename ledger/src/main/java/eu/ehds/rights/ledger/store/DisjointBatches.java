package eu.ehds.rights.ledger.store;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Batches written at the same time that touch none of each other's aggregates or idempotency keys (those of one
 * registry import: no person is in two of them at once). Each records here the leaves it appends, under the log's lock,
 * so that one of them that read the log without the lock can tell, once it holds the lock, whether everything appended
 * since its reads was theirs: what it read is then still true. A range recorded is only a claim (its transaction may
 * have failed to commit, the lock then released): the reader confirms it in the log ({@link LogAppendingStorageEngine}).
 */
public final class DisjointBatches {

    /** Ranges kept: a batch needs those appended while it was reading and validating, a few at most. */
    private static final int KEPT = 64;

    private record Range(long end, String firstEventId) {
    }

    private final ConcurrentSkipListMap<Long, Range> appended = new ConcurrentSkipListMap<>(); // by first leaf

    void appending(long first, long end, String firstEventId) {
        appended.put(first, new Range(end, firstEventId));
        while (appended.size() > KEPT) {
            appended.pollFirstEntry(); // a batch that read before it is found outdated and read again: never wrong
        }
    }

    /**
     * If the leaves from {@code from} to {@code to} (excluded) are exactly ranges these batches appended, the first leaf
     * of each range and the event it should hold (to confirm in the log); else null.
     */
    Map<Long, String> claimed(long from, long to) {
        Map<Long, String> firstEvents = new HashMap<>();
        long at = from;
        while (at < to) {
            Range range = appended.get(at);
            if (range == null) {
                return null;
            }
            firstEvents.put(at, range.firstEventId());
            at = range.end();
        }
        return at == to ? firstEvents : null;
    }
}
