package eu.ehds.rights.projections.decision;

import java.util.BitSet;

/**
 * Which leaves a read model has applied. Tracking processors may apply events out of leaf order; the tree size a
 * read model reflects is the length of the prefix of leaves it has applied with no gap.
 */
final class LeafWatermark {

    private final BitSet seen = new BitSet();
    private long offset;

    synchronized void applied(long leafIndex) {
        if (leafIndex >= offset) {
            seen.set((int) (leafIndex - offset));
            int prefix = seen.nextClearBit(0);
            if (prefix > 0) { // keep the bit set small: drop the applied prefix
                seen.clear(0, prefix);
                BitSet rest = seen.get(prefix, Math.max(prefix, seen.length()));
                seen.clear();
                seen.or(rest);
                offset += prefix;
            }
        }
    }

    /** The number of leaves applied without gap: the tree size this read model reflects. */
    synchronized long treeSize() {
        return offset;
    }
}
