package eu.ehds.rights.projections.anchoring;

import eu.ehds.rights.ledger.api.anchoring.CheckpointAnchored;
import eu.ehds.rights.projections.readmodel.ReadModel;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The anchors the ledger recorded (one per anchored tree size), for auditors' pages, audit bundles and the anchoring
 * status every request of the log's checkpoint shows: kept in tree-size order, so that the newest and a range are read
 * without sorting them all.
 *
 * <pre>{@code
 * List<CheckpointAnchored> recent = anchors.latest(20);
 * }</pre>
 */
public class AnchorRecordsProjection extends ReadModel<AnchorRecordsProjection> {

    /** An anchor's place: its tree size, then its id (which names the size, so one id has one place). */
    private record Key(long treeSize, String anchorId) {
        static final Comparator<Key> ORDER = Comparator.comparingLong(Key::treeSize).thenComparing(Key::anchorId);
    }

    /** An anchor and the log entry that recorded it. */
    private record Recorded(CheckpointAnchored anchor, long leafIndex) {
    }

    private volatile ConcurrentSkipListMap<Key, Recorded> anchors = new ConcurrentSkipListMap<>(Key.ORDER);

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
            anchors.putIfAbsent(new Key(e.treeSize(), e.anchorId()), new Recorded(e, leafIndex));
        }
    }

    /** The most recent anchors, largest tree size first. */
    public List<CheckpointAnchored> latest(int limit) {
        return anchors.descendingMap().values().stream().limit(limit).map(Recorded::anchor).toList();
    }

    /** The log entry that recorded an anchor, or -1 when it is not known here. */
    public long leafOf(CheckpointAnchored anchor) {
        Recorded recorded = anchors.get(new Key(anchor.treeSize(), anchor.anchorId()));
        return recorded == null ? -1 : recorded.leafIndex();
    }

    /** The anchors whose tree sizes lie in {@code [from, to]}, smallest first. */
    public List<CheckpointAnchored> between(long from, long to) {
        if (from > to) {
            return List.of();
        }
        return anchors.subMap(new Key(from, ""), true, new Key(to, "\uffff"), true).values().stream()
                .map(Recorded::anchor).toList();
    }
}
