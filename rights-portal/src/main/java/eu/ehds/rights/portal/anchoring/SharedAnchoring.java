package eu.ehds.rights.portal.anchoring;

import eu.ehds.rights.ledger.anchoring.AnchoringPort;
import eu.ehds.rights.ledger.api.anchoring.CheckpointAnchored;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.projections.anchoring.AnchorRecordsProjection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The anchoring status every node shows alike, read from what the nodes share: the anchors recorded in the ledger
 * and the leader's last {@link AnchoringReports report}, never from this node's own memory (a node that does not
 * anchor would show an old anchor, or none).
 */
public final class SharedAnchoring implements AnchoringPort {

    /** A leader reports at least every {@link Anchorer#REPORT_EVERY}: silent past this, none is anchoring. */
    static final Duration SILENT = Duration.ofSeconds(60);

    /**
     * What the API and pages show. {@code leader} is null until a node has anchored; {@code forked}: the chain
     * contradicts this log and anchoring has stopped ({@code problem} says how).
     */
    public record Status(String network, Optional<Anchor> latest, long pendingEntries, String problem,
                         boolean forked, Instant lastAttempt, String leader, Instant reportedAt) {
    }

    private final String network;
    private final String origin;
    private final AnchorRecordsProjection anchors;
    private final AnchoringReports reports;
    private final VerifiableLog log;
    private final Clock clock;

    public SharedAnchoring(String network, String origin, AnchorRecordsProjection anchors, AnchoringReports reports,
                           VerifiableLog log, Clock clock) {
        this.network = network;
        this.origin = origin;
        this.anchors = anchors;
        this.reports = reports;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Optional<Anchor> latestAnchor() {
        return newest().map(SharedAnchoring::anchor);
    }

    private Optional<CheckpointAnchored> newest() {
        return anchors.latest(1).stream().findFirst();
    }

    private static Anchor anchor(CheckpointAnchored a) {
        return new Anchor(a.treeSize(), a.transactionId(), a.blockNumber());
    }

    public Status status() {
        Optional<CheckpointAnchored> latest = newest();
        long size = log.refresh();
        // the entry recording the latest anchor lies beyond it, and is not waiting to be anchored by itself
        long pending = latest.map(a -> size - a.treeSize() - (anchors.leafOf(a) >= a.treeSize() ? 1 : 0))
                .orElse(size);
        Optional<AnchoringReports.Report> report = reports.read(origin);
        String problem = report.map(AnchoringReports.Report::problem).orElse(null);
        if (report.isPresent() && report.get().reportedAt().isBefore(clock.instant().minus(SILENT))) {
            problem = "no node has reported on anchoring since " + report.get().reportedAt() + " (its leader was "
                    + report.get().leader() + ")";
        }
        return new Status(network, latest.map(SharedAnchoring::anchor), Math.max(0, pending), problem,
                report.map(AnchoringReports.Report::forked).orElse(false),
                report.map(AnchoringReports.Report::lastAttempt).orElse(null),
                report.map(AnchoringReports.Report::leader).orElse(null),
                report.map(AnchoringReports.Report::reportedAt).orElse(null));
    }

    @Override
    public String description() {
        Status s = status();
        String last = s.latest().map(a -> "; latest anchor: tree size " + a.treeSize() + " in block " + a.blockNumber()
                + ", transaction " + a.transactionId()).orElse("; nothing is anchored yet");
        String waiting = s.problem() == null ? ""
                : s.forked() ? "; ANCHORING HAS STOPPED, the chain contradicts this log: " + s.problem()
                : "; anchoring is waiting: " + s.problem();
        return "Checkpoints are anchored on Hyperledger Fabric (" + network + ")" + last + waiting + ".";
    }
}
