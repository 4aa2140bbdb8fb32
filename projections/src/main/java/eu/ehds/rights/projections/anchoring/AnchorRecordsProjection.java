package eu.ehds.rights.projections.anchoring;

import eu.ehds.rights.ledger.api.anchoring.CheckpointAnchored;
import eu.ehds.rights.projections.readmodel.ReadModel;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The anchors the ledger recorded (one per anchored tree size), for auditors' pages and audit bundles.
 *
 * <pre>{@code
 * List<CheckpointAnchored> recent = anchors.latest(20);
 * }</pre>
 */
public class AnchorRecordsProjection extends ReadModel<AnchorRecordsProjection> {

    private volatile Map<String, CheckpointAnchored> anchors = new ConcurrentHashMap<>();
    private volatile Map<String, Long> leaves = new ConcurrentHashMap<>();

    public AnchorRecordsProjection() {
        super(AnchorRecordsProjection::new, CheckpointAnchored.class);
    }

    @Override
    protected void takeOver(AnchorRecordsProjection built) {
        anchors = built.anchors;
        leaves = built.leaves;
    }

    /** Applies one stored event; the same anchor twice changes nothing. */
    @Override
    public void apply(Object event, long leafIndex) {
        if (event instanceof CheckpointAnchored e) {
            if (anchors.putIfAbsent(e.anchorId(), e) == null) {
                leaves.put(e.anchorId(), leafIndex);
            }
        }
    }

    /** The most recent anchors, largest tree size first. */
    public List<CheckpointAnchored> latest(int limit) {
        return anchors.values().stream().sorted(Comparator.comparingLong(CheckpointAnchored::treeSize).reversed())
                .limit(limit).toList();
    }

    /** The log entry that recorded an anchor, or -1 when it is not known here. */
    public long leafOf(String anchorId) {
        return leaves.getOrDefault(anchorId, -1L);
    }

    /** The anchors whose tree sizes lie in {@code [from, to]}, smallest first. */
    public List<CheckpointAnchored> between(long from, long to) {
        return anchors.values().stream().filter(a -> a.treeSize() >= from && a.treeSize() <= to)
                .sorted(Comparator.comparingLong(CheckpointAnchored::treeSize)).toList();
    }
}
