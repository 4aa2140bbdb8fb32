package eu.ehds.rights.projections.mandate;

import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateGranted;
import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateRevoked;
import eu.ehds.rights.projections.decision.DecisionProjection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/**
 * Representative mandates, so that a representative signing in sees exactly the people their mandates cover.
 * Held in memory and built with the other in-memory read models.
 *
 * <pre>{@code
 * List<MandateView> mine = mandates.heldBy(representativePseudonym);
 * boolean may = mandates.find(id).filter(m -> m.activeAt(now)).isPresent();
 * }</pre>
 */
@ProcessingGroup(MandateProjection.PROCESSING_GROUP)
public class MandateProjection {

    public static final String PROCESSING_GROUP = DecisionProjection.PROCESSING_GROUP;

    private volatile Map<String, MandateView> mandates = new ConcurrentHashMap<>();

    /** A register built aside, then installed at once by {@link #install}. */
    public static final class Builder {
        private final MandateProjection projection = new MandateProjection();

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
        mandates = built.projection.mandates;
    }

    /** Applies one stored event; the same event twice changes nothing, and the first revocation stands. */
    public void apply(Object event) {
        if (event instanceof RepresentativeMandateGranted e) {
            mandates.putIfAbsent(e.mandateId(), new MandateView(e.mandateId(), e.representative(), e.represented(),
                    e.kind(), e.validUntil(), e.grantedAt(), null));
        } else if (event instanceof RepresentativeMandateRevoked e) {
            mandates.computeIfPresent(e.mandateId(), (id, m) -> m.revokedAt() != null ? m : m.revoked(e.revokedAt()));
        }
    }

    @EventHandler
    void on(RepresentativeMandateGranted event) {
        apply(event);
    }

    @EventHandler
    void on(RepresentativeMandateRevoked event) {
        apply(event);
    }

    public Optional<MandateView> find(String mandateId) {
        return mandateId == null ? Optional.empty() : Optional.ofNullable(mandates.get(mandateId));
    }

    /** The mandates a person holds as representative (active or not), latest granted first. */
    public List<MandateView> heldBy(String representative) {
        return sorted(mandates.values().stream().filter(m -> m.representative().equals(representative)).toList());
    }

    /** Every mandate, latest granted first (staff view). */
    public List<MandateView> all() {
        return sorted(List.copyOf(mandates.values()));
    }

    private static List<MandateView> sorted(List<MandateView> views) {
        return views.stream().sorted(Comparator.comparing(MandateView::grantedAt).reversed()
                .thenComparing(MandateView::mandateId)).toList();
    }
}
