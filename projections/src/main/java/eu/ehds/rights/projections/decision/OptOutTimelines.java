package eu.ehds.rights.projections.decision;

import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.projections.extract.PseudonymSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Every person's opt-out history, with the leaf index of each change so that a decision can be taken as of any
 * past tree size as well as any past instant.
 *
 * <p>Built for national scale (millions of people, most with one opt-out never withdrawn): a sorted, packed base
 * of 20 bytes per person (key, registration instant and scope, registration leaf), found by interpolation search
 * since keys are uniform; people with anything more (a withdrawal, several opt-outs) keep their full history in a
 * side map; recent changes sit in a delta merged into the base when it reaches {@value #MERGE_AT} people or an eighth
 * of the base. One thread
 * applies events; any number read.
 *
 * <p>People are keyed by the first 64 bits of their pseudonym (see {@link PseudonymSet#key}); instants are kept
 * to the millisecond, as the event store keeps them.
 */
public final class OptOutTimelines {

    static final int MERGE_AT = 1 << 16;
    private static final long EPOCH_2000 = 946_684_800L;
    private static final int FIRST_PROJECT_CODE = 1 + PurposeCategory.values().length;
    private static final int MAX_CODE = 0xffff;

    /** One opt-out with the leaves that registered and (perhaps) withdrew it. */
    record Entry(OptOutScope scope, Instant registeredAt, long registeredLeaf, Instant withdrawnAt, long withdrawnLeaf) {
        Entry withdrawn(Instant at, long leaf) {
            return new Entry(scope, registeredAt, registeredLeaf, at, leaf);
        }
    }

    private volatile Base base = new Base(new long[0], new long[0], new int[0], Map.of());
    private final Map<Long, List<Entry>> delta = new ConcurrentHashMap<>();
    private final Map<String, Integer> projectCodes = new ConcurrentHashMap<>();
    private final List<String> projects = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Applies a registration; the same registration twice changes nothing. */
    public void registered(String person, OptOutScope scope, Instant at, long leaf) {
        long key = PseudonymSet.key(person);
        List<Entry> history = historyOf(key);
        if (history.stream().anyMatch(e -> e.registeredLeaf() == leaf)) {
            return;
        }
        List<Entry> next = new ArrayList<>(history);
        next.add(new Entry(scope, at.truncatedTo(ChronoUnit.MILLIS), leaf, null, -1));
        update(key, next);
    }

    /** Applies a withdrawal to the open opt-out of that scope; a repeated or unmatched withdrawal changes nothing. */
    public void withdrawn(String person, OptOutScope scope, Instant at, long leaf) {
        long key = PseudonymSet.key(person);
        List<Entry> history = historyOf(key);
        if (history.stream().anyMatch(e -> e.withdrawnLeaf() == leaf)) {
            return;
        }
        for (int i = 0; i < history.size(); i++) {
            Entry e = history.get(i);
            if (e.scope().equals(scope) && e.withdrawnAt() == null && e.registeredLeaf() < leaf) {
                List<Entry> next = new ArrayList<>(history);
                next.set(i, e.withdrawn(at.truncatedTo(ChronoUnit.MILLIS), leaf));
                update(key, next);
                return;
            }
        }
    }

    /** The person's opt-outs as the log stood at {@code treeSize} leaves. */
    public List<OptOutPeriod> periods(String person, long treeSize) {
        return periods(historyOf(PseudonymSet.key(person)), treeSize);
    }

    /** The keys of the people whose opt-outs, as the log stood at {@code treeSize}, match the test. */
    long[] select(Predicate<List<OptOutPeriod>> test, long treeSize) {
        Base b = base;
        Map<Long, List<Entry>> recent = Map.copyOf(delta);
        long[] selected = new long[16];
        int n = 0;
        for (int i = 0; i < b.size(); i++) {
            long key = b.key(i);
            if (!recent.containsKey(key) && test.test(periods(b.history(i, this), treeSize))) {
                if (n == selected.length) {
                    selected = Arrays.copyOf(selected, n * 2);
                }
                selected[n++] = key;
            }
        }
        for (Map.Entry<Long, List<Entry>> e : recent.entrySet()) {
            List<OptOutPeriod> periods = periods(e.getValue(), treeSize);
            if (!periods.isEmpty() && test.test(periods)) {
                if (n == selected.length) {
                    selected = Arrays.copyOf(selected, n * 2);
                }
                selected[n++] = e.getKey();
            }
        }
        return Arrays.copyOf(selected, n);
    }

    public int people() {
        Base b = base;
        int inDeltaOnly = (int) delta.keySet().stream().filter(k -> b.find(k) < 0).count();
        return b.size() + inDeltaOnly;
    }

    /** Memory held by the base arrays, in bytes (the side map and delta are small and not counted). */
    public long baseFootprintBytes() {
        return base.footprintBytes();
    }

    private static List<OptOutPeriod> periods(List<Entry> history, long treeSize) {
        List<OptOutPeriod> out = new ArrayList<>(history.size());
        for (Entry e : history) {
            if (e.registeredLeaf() < treeSize) {
                Instant withdrawn = e.withdrawnAt() != null && e.withdrawnLeaf() < treeSize ? e.withdrawnAt() : null;
                out.add(new OptOutPeriod(e.scope(), e.registeredAt(), withdrawn));
            }
        }
        return out;
    }

    private List<Entry> historyOf(long key) {
        List<Entry> recent = delta.get(key);
        if (recent != null) {
            return recent;
        }
        Base b = base;
        int i = b.find(key);
        return i < 0 ? List.of() : b.history(i, this);
    }

    private void update(long key, List<Entry> history) {
        delta.put(key, List.copyOf(history));
        // grow merges with the base so that a replay of n events costs O(n log n), not O(n^2 / MERGE_AT)
        if (delta.size() >= Math.max(MERGE_AT, base.size() / 8)) {
            merge();
        }
    }

    /** Folds the delta into a new base (a linear merge of two sorted runs), then drops the merged delta. */
    synchronized void merge() {
        Map<Long, List<Entry>> recent = new HashMap<>(delta);
        long[] recentKeys = recent.keySet().stream().mapToLong(k -> k ^ Long.MIN_VALUE).sorted().toArray();
        Base old = base;
        int capacity = old.size() + recentKeys.length;
        long[] keys = new long[capacity];
        long[] packed = new long[capacity];
        int[] leaves = new int[capacity];
        Map<Long, List<Entry>> complex = new HashMap<>();
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < old.size() || j < recentKeys.length) {
            long oldKey = i < old.size() ? old.sortKeys[i] : Long.MAX_VALUE;
            long newKey = j < recentKeys.length ? recentKeys[j] : Long.MAX_VALUE;
            boolean takeNew = j < recentKeys.length && (i >= old.size() || newKey <= oldKey);
            if (takeNew) {
                if (oldKey == newKey) {
                    i++; // the delta holds this person's whole, newer history
                }
                long key = newKey ^ Long.MIN_VALUE;
                List<Entry> history = recent.get(key);
                j++;
                if (history.isEmpty()) {
                    continue;
                }
                keys[n] = newKey;
                if (!pack(history, packed, leaves, n)) {
                    complex.put(key, history);
                }
                n++;
            } else {
                keys[n] = oldKey;
                packed[n] = old.packed[i];
                leaves[n] = old.leaves[i];
                if ((old.packed[i] & 1L) != 0) {
                    complex.put(oldKey ^ Long.MIN_VALUE, old.complex.get(oldKey ^ Long.MIN_VALUE));
                }
                n++;
                i++;
            }
        }
        base = new Base(Arrays.copyOf(keys, n), Arrays.copyOf(packed, n), Arrays.copyOf(leaves, n), complex);
        recent.forEach((key, history) -> delta.remove(key, history));
    }

    /**
     * Packs a one-opt-out, never-withdrawn history: seconds since 2000 (32 bits), milliseconds (10), scope code
     * (16), and bit 0 clear; anything else sets bit 0 and lives in the side map.
     */
    private boolean pack(List<Entry> history, long[] packed, int[] leaves, int at) {
        if (history.size() == 1 && history.get(0).withdrawnAt() == null) {
            Entry e = history.get(0);
            long seconds = e.registeredAt().getEpochSecond() - EPOCH_2000;
            int code = code(e.scope());
            if (seconds >= 0 && seconds < (1L << 32) && code <= MAX_CODE && e.registeredLeaf() <= Integer.MAX_VALUE) {
                long millis = e.registeredAt().getNano() / 1_000_000;
                packed[at] = seconds << 32 | millis << 22 | (long) code << 6;
                leaves[at] = (int) e.registeredLeaf();
                return true;
            }
        }
        packed[at] = 1L;
        leaves[at] = -1;
        return false;
    }

    private int code(OptOutScope scope) {
        return switch (scope.type()) {
            case GLOBAL -> 0;
            case PURPOSE -> 1 + PurposeCategory.valueOf(scope.value()).ordinal();
            case PROJECT -> projectCodes.computeIfAbsent(scope.value(), p -> {
                projects.add(p);
                return FIRST_PROJECT_CODE + projects.size() - 1;
            });
        };
    }

    private OptOutScope scope(int code) {
        if (code == 0) {
            return OptOutScope.global();
        }
        if (code < FIRST_PROJECT_CODE) {
            return OptOutScope.purpose(PurposeCategory.values()[code - 1]);
        }
        return OptOutScope.project(projects.get(code - FIRST_PROJECT_CODE));
    }

    /** The immutable, sorted part. Keys are stored with the sign bit flipped so signed order is unsigned order. */
    private static final class Base {
        final long[] sortKeys;
        final long[] packed;
        final int[] leaves;
        final Map<Long, List<Entry>> complex;

        Base(long[] sortKeys, long[] packed, int[] leaves, Map<Long, List<Entry>> complex) {
            this.sortKeys = sortKeys;
            this.packed = packed;
            this.leaves = leaves;
            this.complex = complex;
        }

        int size() {
            return sortKeys.length;
        }

        long key(int i) {
            return sortKeys[i] ^ Long.MIN_VALUE;
        }

        long footprintBytes() {
            return 20L * sortKeys.length;
        }

        /** Interpolation search (keys are uniform), falling back to bisection; -1 when absent. */
        int find(long key) {
            long target = key ^ Long.MIN_VALUE;
            int lo = 0;
            int hi = sortKeys.length - 1;
            int guesses = 0;
            while (lo <= hi && target >= sortKeys[lo] && target <= sortKeys[hi]) {
                int mid;
                if (guesses++ < 4 && sortKeys[hi] != sortKeys[lo]) {
                    double fraction = ((double) target - (double) sortKeys[lo])
                            / ((double) sortKeys[hi] - (double) sortKeys[lo]);
                    mid = lo + (int) Math.min(hi - lo, Math.max(0, fraction * (hi - lo)));
                } else {
                    mid = (lo + hi) >>> 1;
                }
                if (sortKeys[mid] == target) {
                    return mid;
                }
                if (sortKeys[mid] < target) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return -1;
        }

        List<Entry> history(int i, OptOutTimelines owner) {
            long p = packed[i];
            if ((p & 1L) != 0) {
                return complex.get(key(i));
            }
            Instant at = Instant.ofEpochSecond(EPOCH_2000 + (p >>> 32), ((p >>> 22) & 0x3ff) * 1_000_000L);
            return List.of(new Entry(owner.scope((int) ((p >>> 6) & 0xffff)), at, leaves[i], null, -1));
        }
    }
}
