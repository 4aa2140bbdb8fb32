package eu.ehds.rights.projections.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.api.mandate.MandateKind;
import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateGranted;
import eu.ehds.rights.projections.decision.DecisionProjection;
import eu.ehds.rights.projections.mandate.MandateProjection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadModelsTest {

    private static final RepresentativeMandateGranted GRANTED = new RepresentativeMandateGranted("mdt-1",
            "a".repeat(32), "b".repeat(32), MandateKind.PARENT, Instant.parse("2030-01-01T00:00:00Z"), "staff:admin",
            Instant.parse("2026-03-01T00:00:00Z"));

    private final MandateProjection mandates = new MandateProjection();
    private final DecisionProjection decisions = new DecisionProjection();
    private final ReadModels models = new ReadModels(List.of(mandates, decisions));

    @Test
    void a_bulk_pass_changes_nothing_visible_until_every_model_is_installed_at_once() {
        ReadModels.Pass pass = models.pass();
        pass.apply(GRANTED, 0);
        pass.apply("SomeEventNoModelReads", 1);

        assertThat(mandates.all()).isEmpty();
        assertThat(decisions.treeSize()).isZero();

        pass.install();

        assertThat(mandates.find("mdt-1")).isPresent();
        assertThat(decisions.treeSize()).isEqualTo(2);
    }

    @Test
    void the_processor_path_feeds_the_installed_models_through_the_same_handler() {
        models.pass().install();

        models.on(GRANTED, 0);
        models.on(GRANTED, 0);

        assertThat(mandates.all()).hasSize(1);
        assertThat(decisions.treeSize()).isEqualTo(1);
    }

    @Test
    void the_bulk_pass_decodes_the_union_of_the_types_the_models_read() {
        assertThat(models.eventTypes()).contains(RepresentativeMandateGranted.class)
                .containsAll(decisions.eventTypes()).hasSize(mandates.eventTypes().size() + decisions.eventTypes().size());
    }
}
