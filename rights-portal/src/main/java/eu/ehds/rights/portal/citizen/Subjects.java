package eu.ehds.rights.portal.citizen;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.projections.mandate.MandateProjection;
import eu.ehds.rights.projections.mandate.MandateView;
import java.time.Clock;
import java.util.List;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;

/**
 * Decides whom a request acts for. A representative acts for another person only under a mandate they hold that is
 * in force now (granted, not expired, not revoked): checked on every request, so that a revoked or expired mandate
 * stops at once.
 */
@Component
class Subjects {

    private final MandateProjection mandates;
    private final Clock clock;
    private final RepresentedLabels labels;

    Subjects(MandateProjection mandates, Clock clock, RepresentedLabels labels) {
        this.mandates = mandates;
        this.clock = clock;
        this.labels = labels;
    }

    Subject resolve(CitizenPrincipal citizen, String forMandate) {
        if (forMandate == null || forMandate.isBlank()) {
            return new Subject(citizen.pseudonym(), null, "citizen:self", Channel.PORTAL, null);
        }
        MandateView mandate = mandates.find(forMandate)
                .filter(m -> m.representative().equals(citizen.pseudonym()))
                .filter(m -> m.activeAt(clock.instant()))
                .orElseThrow(() -> new AccessDeniedException("no mandate in force for this representative"));
        return new Subject(mandate.represented(), mandate,
                "representative:" + citizen.pseudonym() + " mandate:" + mandate.mandateId(), Channel.REPRESENTATIVE,
                labels.of(mandate.mandateId()).orElse(null));
    }

    /** The names the citizen gave the persons they represent, by mandate. */
    java.util.Map<String, String> labelsOf(List<MandateView> held) {
        java.util.Map<String, String> named = new java.util.HashMap<>();
        held.forEach(m -> labels.of(m.mandateId()).ifPresent(l -> named.put(m.mandateId(), l)));
        return named;
    }

    /** The mandates in force that the citizen holds as representative. */
    List<MandateView> heldNow(CitizenPrincipal citizen) {
        return mandates.heldBy(citizen.pseudonym()).stream().filter(m -> m.activeAt(clock.instant())).toList();
    }
}
