package eu.ehds.rights.projections.anchoring;

import eu.ehds.rights.ledger.api.anchoring.CheckpointAnchored;
import eu.ehds.rights.projections.decision.DecisionProjection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/**
 * The anchors the ledger recorded (one per anchored tree size), for auditors' pages and audit bundles.
 *
 * <pre>{@code
 * List<CheckpointAnchored> recent = anchors.latest(20);
 * }</pre>
 */
@ProcessingGroup(AnchorRecordsProjection.PROCESSING_GROUP)
public class AnchorRecordsProjection {

    public static final String PROCESSING_GROUP = DecisionProjection.PROCESSING_GROUP;

    private volatile Map<String, CheckpointAnchored> anchors = new ConcurrentHashMap<>();

    public static final class Builder {
        private final AnchorRecordsProjection projection = new AnchorRecordsProjection();

        private Builder() {
        }

        public void apply(Object event) {
            projection.apply(event);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public synchronized void install(Builder built) {
        anchors = built.projection.anchors;
    }

    /** Applies one stored event; the same anchor twice changes nothing. */
    public void apply(Object event) {
        if (event instanceof CheckpointAnchored e) {
            anchors.putIfAbsent(e.anchorId(), e);
        }
    }

    @EventHandler
    void on(CheckpointAnchored event) {
        apply(event);
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
