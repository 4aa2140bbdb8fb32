package eu.ehds.rights.portal.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

class ReadModelReadinessTest {

    private final AtomicBoolean loaded = new AtomicBoolean();
    private final AtomicLong log = new AtomicLong(5_000);
    private final AtomicLong model = new AtomicLong();
    private final ReadModelReadiness readiness = new ReadModelReadiness(loaded::get, log::get, model::get);

    @Test
    void a_node_takes_no_traffic_before_its_read_models_are_built() {
        assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    }

    @Test
    void once_built_it_takes_traffic_while_it_follows_the_log_closely_and_not_when_far_behind() {
        loaded.set(true);
        model.set(5_000 - ReadModelReadiness.MAX_LAG);
        assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);

        log.addAndGet(1); // one more entry than the model may lag
        assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    }
}
