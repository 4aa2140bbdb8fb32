package eu.ehds.rights.projections.finding;

import eu.ehds.rights.ledger.api.finding.SignificantFindingAcknowledged;
import eu.ehds.rights.ledger.api.finding.SignificantFindingDelivered;
import eu.ehds.rights.ledger.api.finding.SignificantFindingDeliverySuppressed;
import eu.ehds.rights.ledger.api.finding.SignificantFindingForwarded;
import eu.ehds.rights.ledger.api.finding.SignificantFindingReported;
import eu.ehds.rights.projections.readmodel.ReadModel;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every significant finding's hops, for staff (what is overdue) and data holders (what was forwarded to them).
 * Held in memory and built with the other in-memory read models. The first of each hop stands.
 *
 * <pre>{@code
 * List<FindingView> late = findings.overdue(deadlines, clock.instant());
 * }</pre>
 */
public class FindingsProjection extends ReadModel<FindingsProjection> {

    private volatile Map<String, FindingView> findings = new ConcurrentHashMap<>();

    public FindingsProjection() {
        super(FindingsProjection::new, SignificantFindingReported.class, SignificantFindingForwarded.class,
                SignificantFindingAcknowledged.class, SignificantFindingDelivered.class,
                SignificantFindingDeliverySuppressed.class);
    }

    @Override
    protected void takeOver(FindingsProjection built) {
        findings = built.findings;
    }

    /** Applies one stored event; the same event twice changes nothing. */
    @Override
    public void apply(Object event, long leafIndex) {
        if (event instanceof SignificantFindingReported e) {
            findings.putIfAbsent(e.findingId(), new FindingView(e.findingId(), e.projectId(), e.person(), e.severity(),
                    e.reportedAt(), null, null, null, null, Map.of()));
        } else if (event instanceof SignificantFindingForwarded e) {
            findings.computeIfPresent(e.findingId(), (id, f) -> f.forwardedAt() != null ? f
                    : new FindingView(id, f.projectId(), f.person(), f.severity(), f.reportedAt(), e.dataHolder(),
                            e.forwardedAt(), null, null, f.outcomes()));
        } else if (event instanceof SignificantFindingAcknowledged e) {
            findings.computeIfPresent(e.findingId(), (id, f) -> f.acknowledgedAt() != null ? f
                    : new FindingView(id, f.projectId(), f.person(), f.severity(), f.reportedAt(), f.dataHolder(),
                            f.forwardedAt(), e.recipient(), e.acknowledgedAt(), f.outcomes()));
        } else if (event instanceof SignificantFindingDelivered e) {
            outcome(e.findingId(), e.channel().name(), new FindingView.Outcome("DELIVERED", e.deliveredAt()));
        } else if (event instanceof SignificantFindingDeliverySuppressed e) {
            outcome(e.findingId(), e.channel().name(), new FindingView.Outcome(e.reason().name(), e.suppressedAt()));
        }
    }

    private void outcome(String findingId, String channel, FindingView.Outcome outcome) {
        findings.computeIfPresent(findingId, (id, f) -> {
            if (f.outcomes().containsKey(channel)) {
                return f;
            }
            Map<String, FindingView.Outcome> outcomes = new LinkedHashMap<>(f.outcomes());
            outcomes.put(channel, outcome);
            return new FindingView(id, f.projectId(), f.person(), f.severity(), f.reportedAt(), f.dataHolder(),
                    f.forwardedAt(), f.recipient(), f.acknowledgedAt(), Map.copyOf(outcomes));
        });
    }

    public Optional<FindingView> find(String findingId) {
        return findingId == null ? Optional.empty() : Optional.ofNullable(findings.get(findingId));
    }

    /** Every finding, most recently reported first. */
    public List<FindingView> all() {
        return findings.values().stream().sorted(Comparator.comparing(FindingView::reportedAt).reversed()).toList();
    }

    /** The findings forwarded to a data holder, most recent first. */
    public List<FindingView> forwardedTo(String dataHolder) {
        return all().stream().filter(f -> dataHolder.equals(f.dataHolder())).toList();
    }

    /** The findings whose current hop is late, the latest due first. */
    public List<FindingView> overdue(FindingView.Deadlines deadlines, Instant now) {
        return all().stream().filter(f -> f.overdue(deadlines, now)).toList();
    }
}
