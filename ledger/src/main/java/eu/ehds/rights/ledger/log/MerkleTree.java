package eu.ehds.rights.ledger.log;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only RFC 9162 Merkle tree held in memory: every complete subtree hash is kept, so roots and proofs
 * for any tree size cost O(log n) hash operations. Memory: about 64 bytes per leaf.
 *
 * <p>Not thread-safe; callers synchronise.
 */
public final class MerkleTree {

    /** levels.get(k) holds the hashes of the complete subtrees of 2^k leaves, left to right. */
    private final List<HashArray> levels = new ArrayList<>();

    public MerkleTree() {
        levels.add(new HashArray());
    }

    public long size() {
        return levels.get(0).size();
    }

    public void append(byte[] leafHash) {
        if (leafHash.length != MerkleHashes.HASH_SIZE) {
            throw new IllegalArgumentException("a leaf hash has 32 bytes");
        }
        levels.get(0).add(leafHash);
        long index = size() - 1;
        int level = 0;
        while ((index & 1) == 1) {
            HashArray current = levels.get(level);
            byte[] parent = MerkleHashes.nodeHash(current.get(index - 1), current.get(index));
            level++;
            if (levels.size() == level) {
                levels.add(new HashArray());
            }
            levels.get(level).add(parent);
            index >>= 1;
        }
    }

    public byte[] leafHash(long index) {
        checkRange(index, size() - 1);
        return levels.get(0).get(index);
    }

    /** Root hash of the tree made of the first {@code treeSize} leaves. */
    public byte[] root(long treeSize) {
        checkRange(treeSize, size());
        return treeSize == 0 ? MerkleHashes.emptyRoot() : subtreeHash(0, treeSize);
    }

    /** Audit path of leaf {@code index} in the tree of {@code treeSize} leaves (RFC 9162 section 2.1.3.1). */
    public List<byte[]> inclusionProof(long index, long treeSize) {
        checkRange(treeSize, size());
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("leaf index " + index + " is outside a tree of size " + treeSize);
        }
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, treeSize, proof);
        return proof;
    }

    /** Proof that the tree of size {@code first} is a prefix of the tree of size {@code second} (section 2.1.4.1). */
    public List<byte[]> consistencyProof(long first, long second) {
        checkRange(second, size());
        if (first < 0 || first > second) {
            throw new IllegalArgumentException("first must be between 0 and second");
        }
        List<byte[]> proof = new ArrayList<>();
        if (first > 0 && first < second) {
            subproof(first, 0, second, true, proof);
        }
        return proof;
    }

    private void path(long m, long lo, long hi, List<byte[]> out) {
        long n = hi - lo;
        if (n == 1) {
            return;
        }
        long k = MerkleHashes.splitPoint(n);
        if (m < k) {
            path(m, lo, lo + k, out);
            out.add(subtreeHash(lo + k, hi));
        } else {
            path(m - k, lo + k, hi, out);
            out.add(subtreeHash(lo, lo + k));
        }
    }

    private void subproof(long m, long lo, long hi, boolean startFromOldRoot, List<byte[]> out) {
        long n = hi - lo;
        if (m == n) {
            if (!startFromOldRoot) {
                out.add(subtreeHash(lo, hi));
            }
            return;
        }
        long k = MerkleHashes.splitPoint(n);
        if (m <= k) {
            subproof(m, lo, lo + k, startFromOldRoot, out);
            out.add(subtreeHash(lo + k, hi));
        } else {
            subproof(m - k, lo + k, hi, false, out);
            out.add(subtreeHash(lo, lo + k));
        }
    }

    /** MTH of leaves [lo, hi); complete, aligned subtrees come straight from the stored levels. */
    private byte[] subtreeHash(long lo, long hi) {
        long n = hi - lo;
        if (Long.bitCount(n) == 1 && lo % n == 0) {
            return levels.get(Long.numberOfTrailingZeros(n)).get(lo / n);
        }
        long k = MerkleHashes.splitPoint(n);
        return MerkleHashes.nodeHash(subtreeHash(lo, lo + k), subtreeHash(lo + k, hi));
    }

    /**
     * The hashes of {@code count} consecutive complete subtrees of 2^{@code level} leaves, from the {@code from}-th,
     * concatenated (the content of a C2SP tlog-tiles hash tile), or null when the tree does not hold them all yet.
     * Complete subtrees never change, so neither does the answer once there is one.
     */
    public byte[] nodes(int level, long from, int count) {
        if (level < 0 || level >= levels.size() || from < 0 || count < 1 || from + count > levels.get(level).size()) {
            return null;
        }
        HashArray row = levels.get(level);
        byte[] out = new byte[count * MerkleHashes.HASH_SIZE];
        for (int i = 0; i < count; i++) {
            System.arraycopy(row.get(from + i), 0, out, i * MerkleHashes.HASH_SIZE, MerkleHashes.HASH_SIZE);
        }
        return out;
    }

    private static void checkRange(long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(value + " is beyond the tree size " + max);
        }
    }

    /** Hashes in 2 MiB chunks, so the tree grows without copying. */
    private static final class HashArray {
        private static final int PER_CHUNK = 1 << 16;
        private final List<byte[]> chunks = new ArrayList<>();
        private long size;

        long size() {
            return size;
        }

        void add(byte[] hash) {
            int offset = (int) (size % PER_CHUNK);
            if (offset == 0) {
                chunks.add(new byte[PER_CHUNK * MerkleHashes.HASH_SIZE]);
            }
            System.arraycopy(hash, 0, chunks.get(chunks.size() - 1), offset * MerkleHashes.HASH_SIZE,
                    MerkleHashes.HASH_SIZE);
            size++;
        }

        byte[] get(long index) {
            byte[] chunk = chunks.get((int) (index / PER_CHUNK));
            int from = (int) (index % PER_CHUNK) * MerkleHashes.HASH_SIZE;
            byte[] out = new byte[MerkleHashes.HASH_SIZE];
            System.arraycopy(chunk, from, out, 0, MerkleHashes.HASH_SIZE);
            return out;
        }
    }
}
