package eu.ehds.rights.portal.anchoring;

import eu.ehds.rights.ledger.anchoring.AnchoringPort;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * DOWN when the chain contradicts this log (a fork, or a database restored to an older state): anchoring has stopped
 * and needs an operator. Part of {@code /actuator/health}, for monitoring; not of readiness, since the node still
 * answers truly from its own log.
 */
@Component("anchoring")
class AnchoringHealth implements HealthIndicator {

    private final AnchoringPort anchoring;

    AnchoringHealth(AnchoringPort anchoring) {
        this.anchoring = anchoring;
    }

    @Override
    public Health health() {
        if (anchoring instanceof SharedAnchoring shared && shared.status().forked()) {
            return Health.down().withDetail("anchoring", "stopped: the chain contradicts this log").build();
        }
        return Health.up().build();
    }
}
