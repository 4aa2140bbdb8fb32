package eu.ehds.rights.bench;

import java.util.HexFormat;

/**
 * The benchmarks' synthetic population: person i has a pseudonym derived from i (uniform, like HMAC output), and
 * about {@code optOuts} of {@code population} persons opted out, chosen by a hash independent of the pseudonym.
 */
final class SyntheticPopulation {

    private SyntheticPopulation() {
    }

    /** SplitMix64's finaliser: a fast, well-mixed 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static boolean isOptedOut(long person, long population, long optOuts) {
        return Long.remainderUnsigned(mix(person ^ 0x5DEECE66DL), population) < optOuts;
    }

    /** Person i's pseudonym, 32 hex characters; its set key is {@code mix(i)}. */
    static String pseudonym(long person) {
        return HexFormat.of().toHexDigits(mix(person)) + HexFormat.of().toHexDigits(mix(~person));
    }
}
