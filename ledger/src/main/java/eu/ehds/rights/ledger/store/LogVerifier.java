package eu.ehds.rights.ledger.store;

import eu.ehds.rights.ledger.checkpoint.Checkpoint;
import eu.ehds.rights.ledger.checkpoint.InvalidNoteException;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.ledger.log.LogStore;
import eu.ehds.rights.ledger.log.MerkleHashes;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Re-derives the whole log from the event store and checks it: every leaf is rebuilt from its stored event and
 * compared with the recorded leaf hash, every event must be in the log, and the roots rebuilt from the events
 * must match every checkpoint ever issued, whose signatures are checked too.
 *
 * <pre>{@code
 * LogVerifier.Report report = verifier.verify();
 * if (!report.ok()) System.exit(1);   // report.problems() names the first bad leaf
 * }</pre>
 */
public final class LogVerifier {

    /** The outcome; {@code firstBadLeaf} is -1 when every leaf matched. */
    public record Report(long treeSize, long eventsInStore, int checkpointsChecked, long firstBadLeaf,
                         List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private static final int MAX_PROBLEMS = 100;

    private final StoredLeaves leaves;
    private final LogStore store;
    private final java.util.function.Supplier<NoteVerifier> noteVerifier;

    /** @param noteVerifier the log's keys as they are when a verification starts (they change at a rotation) */
    public LogVerifier(StoredLeaves leaves, LogStore store, java.util.function.Supplier<NoteVerifier> noteVerifier) {
        this.leaves = leaves;
        this.store = store;
        this.noteVerifier = noteVerifier;
    }

    public Report verify() {
        Pass pass = new Pass(store.allCheckpoints(), noteVerifier.get());
        pass.checkpointsAt(0, MerkleHashes.emptyRoot());
        try {
            leaves.forEach(0, Long.MAX_VALUE, pass::leaf);
        } catch (GapException gap) {
            pass.problem(gap.index, "leaf " + gap.index + " is missing from the log");
        }
        if (!pass.pending.isEmpty()) {
            pass.problem(-1, "checkpoint at tree size " + pass.pending.peekFirst().treeSize()
                    + " covers leaves that the log no longer holds (size " + pass.size + ")");
        }
        long events = leaves.countEvents();
        if (events != pass.size) {
            pass.problem(-1, "the event store holds " + events + " events but the log has " + pass.size + " leaves");
        }
        return new Report(pass.size, events, pass.checked, pass.firstBad, List.copyOf(pass.problems));
    }

    /** State of one verification pass over the leaves, in order. */
    private final class Pass {
        final Deque<LogStore.StoredCheckpoint> pending;
        final CompactRange range = new CompactRange();
        final List<String> problems = new ArrayList<>();
        long size;
        long firstBad = -1;
        int checked;

        final NoteVerifier notes;

        Pass(List<LogStore.StoredCheckpoint> checkpoints, NoteVerifier notes) {
            this.pending = new ArrayDeque<>(checkpoints);
            this.notes = notes;
        }

        void leaf(StoredLeaves.StoredLeaf leaf) {
            long index = leaf.leafIndex();
            if (index != size) {
                throw new GapException(size);
            }
            byte[] rebuilt;
            if (leaf.leafBytes() == null) {
                problem(index, "leaf " + index + ": event " + leaf.eventId() + " is missing from the event store");
                rebuilt = leaf.recordedHash();
            } else {
                rebuilt = MerkleHashes.leafHash(leaf.leafBytes());
                if (!MessageDigest.isEqual(rebuilt, leaf.recordedHash())) {
                    problem(index, "leaf " + index + ": event " + leaf.eventId()
                            + " no longer matches its leaf hash (altered after it was logged)");
                }
            }
            range.append(rebuilt);
            size++;
            checkpointsAt(size, null);
        }

        void checkpointsAt(long treeSize, byte[] knownRoot) {
            while (!pending.isEmpty() && pending.peekFirst().treeSize() == treeSize) {
                LogStore.StoredCheckpoint stored = pending.pollFirst();
                byte[] root = knownRoot != null ? knownRoot : range.root();
                checked++;
                try {
                    Checkpoint signed = notes.verify(stored.note());
                    if (signed.treeSize() != stored.treeSize()
                            || !MessageDigest.isEqual(signed.rootHash(), stored.rootHash())) {
                        problem(-1, "checkpoint " + stored.treeSize() + ": stored root differs from the signed note");
                    }
                    if (!MessageDigest.isEqual(signed.rootHash(), root)) {
                        problem(-1, "checkpoint " + stored.treeSize()
                                + ": the root rebuilt from the events differs from the signed root");
                    }
                } catch (InvalidNoteException e) {
                    problem(-1, "checkpoint " + stored.treeSize() + ": " + e.getMessage());
                }
            }
        }

        void problem(long leafIndex, String text) {
            if (leafIndex >= 0 && firstBad < 0) {
                firstBad = leafIndex;
            }
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(text);
            }
        }
    }

    private static final class GapException extends RuntimeException {
        final long index;

        GapException(long index) {
            super(null, null, false, false);
            this.index = index;
        }
    }

    /** The right edge of a growing tree: hashes of its complete subtrees, largest first. */
    static final class CompactRange {
        private final Deque<byte[]> hashes = new ArrayDeque<>();
        private final Deque<Long> sizes = new ArrayDeque<>();

        void append(byte[] leafHash) {
            byte[] hash = leafHash;
            long size = 1;
            while (!sizes.isEmpty() && sizes.peekLast() == size) {
                hash = MerkleHashes.nodeHash(hashes.pollLast(), hash);
                size += sizes.pollLast();
            }
            hashes.addLast(hash);
            sizes.addLast(size);
        }

        byte[] root() {
            if (hashes.isEmpty()) {
                return MerkleHashes.emptyRoot();
            }
            Iterator<byte[]> fromRight = hashes.descendingIterator();
            byte[] root = fromRight.next();
            while (fromRight.hasNext()) {
                root = MerkleHashes.nodeHash(fromRight.next(), root);
            }
            return root;
        }
    }
}
