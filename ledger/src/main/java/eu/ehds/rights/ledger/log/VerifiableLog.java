package eu.ehds.rights.ledger.log;

import eu.ehds.rights.ledger.checkpoint.Checkpoint;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import java.util.List;
import java.util.Optional;

/**
 * The read side of the verifiable log: a Merkle tree over the committed leaves, kept in memory and caught up
 * from the store on each request, signed checkpoints, and inclusion and consistency proofs.
 *
 * <pre>{@code
 * SignedCheckpoint latest = log.checkpoint();          // covers every event committed before the call
 * List<byte[]> path = log.inclusionProof(17, latest.treeSize());
 * }</pre>
 */
public final class VerifiableLog {

    /** A checkpoint and its signed note. */
    public record SignedCheckpoint(long treeSize, byte[] rootHash, String note) {
    }

    /** Asked before a new checkpoint is signed; throws to refuse (e.g. when the signer's key was retired). */
    public interface SigningCheck {
        void beforeSigning(long treeSize);
    }

    private final LogStore store;
    private final NoteSigner signer;
    private final SigningCheck check;
    private final MerkleTree tree = new MerkleTree();

    public VerifiableLog(LogStore store, NoteSigner signer) {
        this(store, signer, treeSize -> { });
    }

    public VerifiableLog(LogStore store, NoteSigner signer, SigningCheck check) {
        this.store = store;
        this.signer = signer;
        this.check = check;
    }

    /** Reads leaves committed since the last call; returns the committed tree size. */
    public synchronized long refresh() {
        store.readLeafHashes(tree.size(), tree::append);
        return tree.size();
    }

    /** The signed checkpoint for the current tree size, issued (and stored) if new. */
    public SignedCheckpoint checkpoint() {
        long size;
        byte[] root;
        synchronized (this) {
            size = refresh();
            root = tree.root(size);
        }
        var latest = store.latestCheckpoint();
        if (latest.isPresent() && latest.get().treeSize() == size) {
            return new SignedCheckpoint(size, latest.get().rootHash(), latest.get().note());
        }
        check.beforeSigning(size);
        String note = signer.sign(new Checkpoint(signer.keyName(), size, root).text());
        store.saveCheckpoint(size, root, note);
        return new SignedCheckpoint(size, root, note);
    }

    /**
     * The checkpoint issued at exactly {@code treeSize}, as stored, or nothing: a past size is never signed anew (to a
     * witness, a fresh signature on a smaller tree reads as a rollback).
     */
    public Optional<SignedCheckpoint> issuedAt(long treeSize) {
        return store.checkpointAt(treeSize).map(c -> new SignedCheckpoint(c.treeSize(), c.rootHash(), c.note()));
    }

    /** The tree sizes of the stored checkpoints nearest to {@code treeSize}, below then above (either may lack). */
    public List<Long> issuedAround(long treeSize) {
        return store.checkpointsAround(treeSize).stream().map(LogStore.StoredCheckpoint::treeSize).toList();
    }

    public synchronized byte[] leafHash(long index) {
        requireCommitted(index + 1);
        return tree.leafHash(index);
    }

    /**
     * A C2SP tlog-tiles hash tile (height 8): the {@code width} hashes of tree level 8 × {@code tileLevel} from the
     * 256 × {@code tileIndex}-th; empty when the log does not hold them yet.
     */
    public synchronized Optional<byte[]> tile(int tileLevel, long tileIndex, int width) {
        if (tileLevel < 0 || tileLevel > 7 || tileIndex < 0 || tileIndex > Long.MAX_VALUE / 256 || width < 1
                || width > 256) {
            return Optional.empty();
        }
        return Optional.ofNullable(tree.nodes(8 * tileLevel, 256 * tileIndex, width));
    }

    public synchronized byte[] root(long treeSize) {
        requireCommitted(treeSize);
        return tree.root(treeSize);
    }

    public synchronized List<byte[]> inclusionProof(long leafIndex, long treeSize) {
        requireCommitted(treeSize);
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("leafIndex must be at least 0 and below treeSize " + treeSize);
        }
        return tree.inclusionProof(leafIndex, treeSize);
    }

    public synchronized List<byte[]> consistencyProof(long first, long second) {
        requireCommitted(second);
        if (first < 1 || first > second) {
            throw new IllegalArgumentException("first must be at least 1 and at most second");
        }
        return tree.consistencyProof(first, second);
    }

    private void requireCommitted(long treeSize) {
        if (treeSize < 0) {
            throw new IllegalArgumentException("tree sizes are not negative");
        }
        if (treeSize > tree.size() && treeSize > refresh()) {
            throw new IllegalArgumentException("tree size " + treeSize + " exceeds the log's size " + tree.size());
        }
    }
}
