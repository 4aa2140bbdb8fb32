package eu.ehds.rights.portal.readmodel;

import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.projections.decision.DecisionProjection;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * A node is ready for traffic once its read models are built and follow the log closely: before, it would answer
 * "no such project" or decide on an old state. Part of {@code /actuator/health/readiness} (and of
 * {@code /actuator/health}); liveness does not depend on it.
 */
@Component("readModels")
class ReadModelReadiness implements HealthIndicator {

    /** Entries the decision model may be behind the log and still take traffic (it catches up in milliseconds). */
    static final long MAX_LAG = 1_000;

    private final BooleanSupplier loaded;
    private final LongSupplier logSize;
    private final LongSupplier modelSize;

    @Autowired
    ReadModelReadiness(ReadModelLoader loader, VerifiableLog log, DecisionProjection model) {
        this(loader::loaded, log::refresh, model::treeSize);
    }

    ReadModelReadiness(BooleanSupplier loaded, LongSupplier logSize, LongSupplier modelSize) {
        this.loaded = loaded;
        this.logSize = logSize;
        this.modelSize = modelSize;
    }

    @Override
    public Health health() {
        if (!loaded.getAsBoolean()) {
            return Health.outOfService().withDetail("readModels", "not built yet").build();
        }
        long lag = logSize.getAsLong() - modelSize.getAsLong();
        return lag > MAX_LAG ? Health.outOfService().withDetail("lag", lag).build()
                : Health.up().withDetail("lag", Math.max(0, lag)).build();
    }
}
