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

    public AnchorRecordsProjection() {
        super(AnchorRecordsProjection::new, CheckpointAnchored.class);
    }

    @Override
    protected void takeOver(AnchorRecordsProjection built) {
        anchors = built.anchors;
    }

    /** Applies one stored event; the same anchor twice changes nothing. */
    @Override
    public void apply(Object event, long leafIndex) {
        if (event instanceof CheckpointAnchored e) {
            anchors.putIfAbsent(e.anchorId(), e);
        }
    }

    /** The most recent anchors, largest tree size first. */
    public List<CheckpointAnchored> latest(int limit) {
        return anchors.values().stream().sorted(Comparator.comparingLong(CheckpointAnchored::treeSize).reversed())
                .limit(limit).toList();
    }

    /** The anchors whose tree sizes lie in {@code [from, to]}, smallest first. */
    public List<CheckpointAnchored> between(long from, long to) {
        return anchors.values().stream().filter(a -> a.treeSize() >= from && a.treeSize() <= to)
                .sorted(Comparator.comparingLong(CheckpointAnchored::treeSize)).toList();
    }
}
