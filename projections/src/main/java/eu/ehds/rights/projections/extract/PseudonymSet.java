package eu.ehds.rights.projections.extract;

import java.util.Arrays;

/**
 * An immutable set of persons, by the first 64 bits of their pseudonym, built for lookups that mostly miss.
 *
 * <p>Two levels, each costing at most one memory read that misses the cache:
 * <ul>
 *   <li>a presence bitmap of 8 bits per member, indexed by the keys' low bits, small enough to stay in cache,
 *       answers nearly 9 misses out of 10;</li>
 *   <li>the rest go to one table of 1.25 slots per member, sorted: each key sits at or just after its home slot,
 *       given by its top bits, so a search reads one cache line, rarely two. An empty slot holds the smallest key
 *       whose home lies beyond it, which stops a search there.</li>
 * </ul>
 * About 11 bytes per person (4 M persons: 44 MB).
 *
 * <p>Pseudonyms are HMAC outputs, so their bits are uniform. Two persons sharing their first 64 bits is so unlikely
 * (about 10^-13 per lookup with 4 M members) that it is accepted, and it errs on the safe side: the person would
 * be excluded.
 *
 * <pre>{@code
 * PseudonymSet excluded = PseudonymSet.of(keys);          // keys need not be sorted or unique
 * boolean out = excluded.contains(PseudonymSet.key(pseudonymHex));
 * }</pre>
 */
public final class PseudonymSet {

    private static final long ALL_ONES = -1L;

    private final int size;
    /** Keys with the sign bit flipped, so that signed order is the keys' unsigned order. */
    private final long[] table;
    private final long homes;
    /** The key 0xffff...ff is also the table's last stop value, so it is kept apart. */
    private final boolean containsAllOnes;
    private final long[] presence;
    private final long presenceMask;

    private PseudonymSet(long[] sortedUniqueKeys) {
        int n = sortedUniqueKeys.length;
        this.containsAllOnes = n > 0 && sortedUniqueKeys[n - 1] == ALL_ONES;
        int stored = containsAllOnes ? n - 1 : n;
        this.size = n;
        this.homes = Math.max(1, stored + (stored >>> 2));
        int last = -1;
        for (int i = 0; i < stored; i++) {
            last = Math.max(home(sortedUniqueKeys[i]), last + 1);
        }
        this.table = new long[Math.max(last + 2, (int) homes + 1)];
        int slot = 0;
        int at = -1;
        for (int i = 0; i < stored; i++) {
            at = Math.max(home(sortedUniqueKeys[i]), at + 1);
            for (; slot < at; slot++) {
                table[slot] = stopValue(slot);
            }
            table[slot++] = sortedUniqueKeys[i] ^ Long.MIN_VALUE;
        }
        for (; slot < table.length; slot++) {
            table[slot] = stopValue(slot);
        }
        long presenceBits = Long.highestOneBit(Math.max(64, (long) n * 8 - 1)) << 1;
        this.presence = new long[(int) (presenceBits >>> 6)];
        this.presenceMask = presenceBits - 1;
        for (long key : sortedUniqueKeys) {
            long bit = key & presenceMask;
            presence[(int) (bit >>> 6)] |= 1L << bit;
        }
    }

    /** The home slot: the key's top 32 bits scaled to the number of homes, so homes follow key order. */
    private int home(long key) {
        return (int) (((key >>> 32) * homes) >>> 32);
    }

    /** For an empty slot: the smallest key whose home is after it (flipped), or the largest key at the end. */
    private long stopValue(int slot) {
        if (slot + 1 >= homes) {
            return ALL_ONES ^ Long.MIN_VALUE;
        }
        long top = (((long) (slot + 1) << 32) + homes - 1) / homes; // ceil: the first top half homed after slot
        return (top << 32) ^ Long.MIN_VALUE;
    }

    /** Builds the set; the array is sorted in place (unsigned order) and may hold duplicates. */
    public static PseudonymSet of(long[] keys) {
        long[] flipped = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            flipped[i] = keys[i] ^ Long.MIN_VALUE; // signed sort of flipped values = unsigned order
        }
        Arrays.parallelSort(flipped);
        int unique = 0;
        for (int i = 0; i < flipped.length; i++) {
            if (i == 0 || flipped[i] != flipped[i - 1]) {
                flipped[unique++] = flipped[i];
            }
        }
        long[] sorted = new long[unique];
        for (int i = 0; i < unique; i++) {
            sorted[i] = flipped[i] ^ Long.MIN_VALUE;
        }
        return new PseudonymSet(sorted);
    }

    /** The set's key of a pseudonym: its first 16 hex characters as an unsigned 64-bit number. */
    public static long key(CharSequence pseudonymHex) {
        long key = 0;
        for (int i = 0; i < 16; i++) {
            key = (key << 4) | Character.digit(pseudonymHex.charAt(i), 16);
        }
        return key;
    }

    /** The set's key of a pseudonym given as bytes: its first 8 bytes, big-endian. */
    public static long key(byte[] pseudonym, int at) {
        long key = 0;
        for (int i = 0; i < 8; i++) {
            key = (key << 8) | (pseudonym[at + i] & 0xff);
        }
        return key;
    }

    public boolean contains(long key) {
        long bit = key & presenceMask;
        if ((presence[(int) (bit >>> 6)] & (1L << bit)) == 0) {
            return false;
        }
        return search(key);
    }

    /**
     * Whether each of {@code keys[0..n)} is in the set, into {@code found}: the same answers as {@link #contains},
     * faster for a block of keys, since the reads of the whole block go out together rather than one after another.
     */
    public void containsAll(long[] keys, int n, boolean[] found) {
        int[] hits = new int[n];
        int h = 0;
        for (int i = 0; i < n; i++) {
            long bit = keys[i] & presenceMask;
            boolean present = (presence[(int) (bit >>> 6)] & (1L << bit)) != 0;
            found[i] = false;
            hits[h] = i;
            h += present ? 1 : 0;
        }
        for (int j = 0; j < h; j++) {
            int i = hits[j];
            found[i] = search(keys[i]);
        }
    }

    private boolean search(long key) {
        if (key == ALL_ONES) {
            return containsAllOnes;
        }
        long wanted = key ^ Long.MIN_VALUE;
        for (int slot = home(key); ; slot++) {
            long there = table[slot];
            if (there >= wanted) {
                return there == wanted;
            }
        }
    }

    public int size() {
        return size;
    }

    /** The keys in unsigned order, for snapshots. */
    public long[] keys() {
        long[] keys = new long[size];
        int n = 0;
        for (int slot = 0; slot < table.length; slot++) {
            long key = table[slot] ^ Long.MIN_VALUE;
            if (key != ALL_ONES && home(key) <= slot) { // a stop value's home is after its slot
                keys[n++] = key;
            }
        }
        if (containsAllOnes) {
            keys[n++] = ALL_ONES;
        }
        return keys;
    }

    /** Memory held by the set's arrays, in bytes. */
    public long footprintBytes() {
        return 8L * table.length + 8L * presence.length;
    }
}
