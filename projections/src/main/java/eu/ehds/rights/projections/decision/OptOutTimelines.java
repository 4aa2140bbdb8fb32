package eu.ehds.rights.projections.decision;

import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.projections.extract.PseudonymSet;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * Every person's opt-out history, with the leaf index of each change so that a decision can be taken as of any
 * past tree size as well as any past instant.
 *
 * <p>Built for national scale (millions of people, most with one opt-out never withdrawn): a sorted, packed base of
 * {@value #RECORD} bytes per person, found through a directory on the keys' top 16 bits; people with anything more (a
 * withdrawal, several opt-outs, or values that do not fit) keep their full history in a side map; recent changes sit
 * in a delta merged into the base when it grows (an eighth of the base while a model is built; once it serves,
 * {@value #LIVE_MERGE_AT} people or a 256th of the base, whichever is more). A merge copies the base's records between
 * the delta's people in blocks (at most one per bucket of the directory). One thread applies events; any number read.
 *
 * <p>A base record holds the key's low 48 bits, the registration leaf (31 bits) and a flag, the scope (8 bits) and the
 * registration instant in milliseconds since 1970 (48 bits, ±4,400 years). The instant is kept whole because it need
 * not be close to the leaf's commit: an imported registry's opt-outs carry their original registration dates (when it
 * was kept relative to the commit time, nearly every imported opt-out went to the side map, half a dozen objects each).
 *
 * <p>People are keyed by the first 64 bits of their pseudonym (see {@link PseudonymSet#key}); instants are kept
 * to the millisecond, as the event store keeps them.
 */
public final class OptOutTimelines {

    static final int MERGE_AT = 1 << 16;
    static final int LIVE_MERGE_AT = 1 << 14;
    static final int RECORD = 17;
    private static final long MAX_SECONDS = (1L << 47) / 1000 - 1; // milliseconds then fit 48 bits, signed
    private static final int FIRST_PROJECT_CODE = 1 + PurposeCategory.values().length;
    private static final int MAX_CODE = 0xff;
    private static final long LOW_48 = (1L << 48) - 1;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** One opt-out with the leaves that registered and (perhaps) withdrew it. */
    record Entry(OptOutScope scope, Instant registeredAt, long registeredLeaf, Instant withdrawnAt, long withdrawnLeaf) {
        Entry withdrawn(Instant at, long leaf) {
            return new Entry(scope, registeredAt, registeredLeaf, at, leaf);
        }
    }

    private volatile Base base = Base.empty();
    private volatile Map<Long, List<Entry>> delta = new ConcurrentHashMap<>();
    /**
     * The side map, shared by every base rather than copied into each. Safe because nothing is ever removed, a merge
     * puts a history before it publishes the base that points to it, and a history only grows (a person kept apart
     * stays apart): a reader of an older base may find a newer history there, which it filters by tree size as any.
     */
    private final Map<Long, List<Entry>> complex = new ConcurrentHashMap<>();
    private final Map<String, Integer> projectCodes = new ConcurrentHashMap<>();
    private final List<String> projects = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean serving;

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

    /** The person's opt-outs, by key (see {@link PseudonymSet#key}), as the log stood at {@code treeSize} leaves. */
    public List<OptOutPeriod> periods(long key, long treeSize) {
        return periods(historyOf(key), treeSize);
    }

    /** The keys of the people whose opt-outs, as the log stood at {@code treeSize}, match the test. */
    long[] select(BiPredicate<Long, List<OptOutPeriod>> test, long treeSize) {
        // the delta before the base: a merge publishes its base before it empties the delta, so every person is found
        // in at least one of them (read the other way round, a merge in between lost the people it moved)
        Map<Long, List<Entry>> recent = Map.copyOf(delta);
        Base b = base;
        long[] selected = new long[16];
        int n = 0;
        for (Base.Cursor c = b.cursor(); c.next(); ) {
            long key = c.key();
            if (!recent.containsKey(key) && test.test(key, periods(b.history(c.index(), key, this), treeSize))) {
                if (n == selected.length) {
                    selected = Arrays.copyOf(selected, n * 2);
                }
                selected[n++] = key;
            }
        }
        for (Map.Entry<Long, List<Entry>> e : recent.entrySet()) {
            List<OptOutPeriod> periods = periods(e.getValue(), treeSize);
            if (!periods.isEmpty() && test.test(e.getKey(), periods)) {
                if (n == selected.length) {
                    selected = Arrays.copyOf(selected, n * 2);
                }
                selected[n++] = e.getKey();
            }
        }
        return Arrays.copyOf(selected, n);
    }

    public int people() {
        List<Long> recent = List.copyOf(delta.keySet()); // before the base, as in select
        Base b = base;
        int inDeltaOnly = (int) recent.stream().filter(k -> b.find(k) < 0).count();
        return b.size() + inDeltaOnly;
    }

    /** Memory held by the packed base (records and directory); the side map and delta are apart. */
    public long baseFootprintBytes() {
        return base.footprintBytes();
    }

    /** How many people's histories the base keeps apart, in the side map. */
    int keptApart() {
        return complex.size();
    }

    /**
     * Readies a model built aside for serving: the delta folded into the base, and from now on merged in small steps
     * (a live ledger receives few opt-outs at a time, so keeping the delta small costs little).
     */
    public synchronized void settle() {
        merge();
        if (delta.isEmpty()) {
            delta = new ConcurrentHashMap<>(); // the build's large, now empty, table is not kept
        }
        serving = true;
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
        return i < 0 ? List.of() : b.history(i, key, this);
    }

    private void update(long key, List<Entry> history) {
        delta.put(key, List.copyOf(history));
        // merges grow with the base so that a replay of n events costs O(n log n), not O(n^2); once serving, in
        // smaller steps (the delta's objects take about ten times a record's memory), growing with the base beyond
        // 4.2 M people so that an import into a national register does not copy its whole base every 16,384 opt-outs
        int threshold = serving ? Math.max(LIVE_MERGE_AT, base.size() / 256) : Math.max(MERGE_AT, base.size() / 8);
        if (delta.size() >= threshold) {
            merge();
        }
    }

    /**
     * Folds the delta into a new base (the base's records copied in blocks between the delta's people, who are written
     * in key order), then drops the merged delta.
     */
    synchronized void merge() {
        Map<Long, List<Entry>> recent = new HashMap<>(delta);
        long[] recentKeys = recent.keySet().stream().mapToLong(k -> k ^ Long.MIN_VALUE).sorted()
                .map(k -> k ^ Long.MIN_VALUE).toArray(); // unsigned order
        Base old = base;
        Base.Writer out = new Base.Writer(old, old.size() + recentKeys.length);
        int from = 0; // the first of the old records not yet copied
        for (long key : recentKeys) {
            int at = old.lowerBound(key);
            out.copy(from, at);
            from = old.holds(at, key) ? at + 1 : at; // the delta holds this person's whole, newer history
            List<Entry> history = recent.get(key);
            if (!history.isEmpty()) {
                pack(out, key, history);
            }
        }
        out.copy(from, old.size());
        base = out.build();
        recent.forEach((key, history) -> delta.remove(key, history));
    }

    /** Packs a one-opt-out, never-withdrawn history if its values fit; anything else goes to the side map. */
    private void pack(Base.Writer out, long key, List<Entry> history) {
        if (history.size() == 1 && history.get(0).withdrawnAt() == null) {
            Entry e = history.get(0);
            int code = code(e.scope());
            long leaf = e.registeredLeaf();
            long seconds = e.registeredAt().getEpochSecond();
            if (code <= MAX_CODE && leaf >= 0 && leaf <= Integer.MAX_VALUE && Math.abs(seconds) <= MAX_SECONDS) {
                out.add(key, (int) leaf, false, e.registeredAt().toEpochMilli(), code);
                return;
            }
        }
        out.add(key, 0, true, 0, 0);
        complex.put(key, history);
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

    /**
     * The immutable, sorted part: {@value #RECORD}-byte records in unsigned key order, and a directory giving the
     * first record of each value of the keys' top 16 bits.
     */
    private static final class Base {
        private static final int BUCKETS = 1 << 16;

        final byte[] records;
        final int size;
        final int[] directory;

        private Base(byte[] records, int size, int[] directory) {
            this.records = records;
            this.size = size;
            this.directory = directory;
        }

        static Base empty() {
            return new Base(new byte[8], 0, new int[BUCKETS + 1]);
        }

        int size() {
            return size;
        }

        long footprintBytes() {
            return (long) records.length + 4L * directory.length;
        }

        private long low48(int i) {
            return (long) LONG.get(records, i * RECORD) & LOW_48;
        }

        /** The record's index, or -1 when the key is absent. */
        int find(long key) {
            int at = lowerBound(key);
            return holds(at, key) ? at : -1;
        }

        /** The index of the first record whose key is not below {@code key} (unsigned), or {@link #size}. */
        int lowerBound(long key) {
            int bucket = (int) (key >>> 48);
            long wanted = key & LOW_48;
            int lo = directory[bucket];
            int hi = directory[bucket + 1];
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (low48(mid) < wanted) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** Whether record {@code at}, as {@link #lowerBound} found it for {@code key}, is that key's. */
        boolean holds(int at, long key) {
            return at < directory[(int) (key >>> 48) + 1] && low48(at) == (key & LOW_48);
        }

        List<Entry> history(int i, long key, OptOutTimelines owner) {
            int leafAndFlag = (int) INT.get(records, i * RECORD + 6);
            if (leafAndFlag < 0) {
                return owner.complex.get(key);
            }
            long codeAndMillis = (long) LONG.get(records, i * RECORD + 10);
            int code = (int) codeAndMillis & 0xff;
            long millis = (codeAndMillis << 8) >> 16; // bits 8 to 55, sign-extended
            return List.of(new Entry(owner.scope(code), Instant.ofEpochMilli(millis), leafAndFlag, null, -1));
        }

        Cursor cursor() {
            return new Cursor();
        }

        /** Walks the records in key order, knowing each one's full key. */
        final class Cursor {
            private int index = -1;
            private int bucket;

            boolean next() {
                index++;
                if (index >= size) {
                    return false;
                }
                while (directory[bucket + 1] <= index) {
                    bucket++;
                }
                return true;
            }

            int index() {
                return index;
            }

            long key() {
                return ((long) bucket << 48) | low48(index);
            }
        }

        /** Builds a base from records added in unsigned key order, new ones or runs of an older base's. */
        static final class Writer {
            private final Base from;
            private final byte[] records;
            private final int[] directory = new int[BUCKETS + 1];
            private int n;
            private int bucket;
            private int fromBucket; // the bucket, in the older base, of the first record not yet copied

            Writer(Base from, int capacity) {
                this.from = from;
                this.records = new byte[capacity * RECORD + 8]; // a long read at the last record stays inside
            }

            /** Records are added in order: each write's last byte, past its record, is the next one's first. */
            void add(long key, int leaf, boolean isComplex, long millis, int code) {
                int b = (int) (key >>> 48);
                while (bucket < b) {
                    directory[++bucket] = n;
                }
                int at = n * RECORD;
                LONG.set(records, at, key & LOW_48);
                INT.set(records, at + 6, isComplex ? Integer.MIN_VALUE : leaf);
                LONG.set(records, at + 10, (code & 0xffL) | ((millis & LOW_48) << 8));
                n++;
            }

            /** Copies the older base's records {@code [start, end)}, one bucket's part at a time. */
            void copy(int start, int end) {
                int i = start;
                while (i < end) {
                    while (from.directory[fromBucket + 1] <= i) {
                        fromBucket++;
                    }
                    while (bucket < fromBucket) {
                        directory[++bucket] = n;
                    }
                    int run = Math.min(end, from.directory[fromBucket + 1]) - i;
                    System.arraycopy(from.records, i * RECORD, records, n * RECORD, run * RECORD);
                    n += run;
                    i += run;
                }
            }

            Base build() {
                while (bucket < BUCKETS) {
                    directory[++bucket] = n;
                }
                byte[] exact = records.length == n * RECORD + 8 ? records : Arrays.copyOf(records, n * RECORD + 8);
                return new Base(exact, n, directory);
            }
        }
    }
}
