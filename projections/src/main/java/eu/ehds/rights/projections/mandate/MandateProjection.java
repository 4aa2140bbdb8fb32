package eu.ehds.rights.projections.mandate;

import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateGranted;
import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateRevoked;
import eu.ehds.rights.projections.readmodel.ReadModel;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Representative mandates, so that a representative signing in sees exactly the people their mandates cover.
 * Held in memory and built with the other in-memory read models.
 *
 * <pre>{@code
 * List<MandateView> mine = mandates.heldBy(representativePseudonym);
 * boolean may = mandates.find(id).filter(m -> m.activeAt(now)).isPresent();
 * }</pre>
 */
public class MandateProjection extends ReadModel<MandateProjection> {

    private volatile Map<String, MandateView> mandates = new ConcurrentHashMap<>();

    public MandateProjection() {
        super(MandateProjection::new, RepresentativeMandateGranted.class, RepresentativeMandateRevoked.class);
    }

    @Override
    protected void takeOver(MandateProjection built) {
        mandates = built.mandates;
    }

    /** Applies one stored event; the same event twice changes nothing, and the first revocation stands. */
    @Override
    public void apply(Object event, long leafIndex) {
        if (event instanceof RepresentativeMandateGranted e) {
            mandates.putIfAbsent(e.mandateId(), new MandateView(e.mandateId(), e.representative(), e.represented(),
                    e.kind(), e.validUntil(), e.grantedAt(), null));
        } else if (event instanceof RepresentativeMandateRevoked e) {
            mandates.computeIfPresent(e.mandateId(), (id, m) -> m.revokedAt() != null ? m : m.revoked(e.revokedAt()));
        }
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
