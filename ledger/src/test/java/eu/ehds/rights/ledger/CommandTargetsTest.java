package eu.ehds.rights.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.IdentifierMissingException;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.junit.jupiter.api.Test;

class CommandTargetsTest {

    public record Rename(@TargetAggregateIdentifier String projectId, String title) {
    }

    public record Create(String projectId, String title) {
    }

    /** Not a record: left to Axon's resolver. */
    public static final class Legacy {
        @TargetAggregateIdentifier
        private final String id;

        Legacy(String id) {
            this.id = id;
        }
    }

    private final CommandTargets targets = new CommandTargets();

    @Test
    void a_record_names_the_aggregate_of_its_annotated_component_as_axon_would() {
        // given
        var command = GenericCommandMessage.asCommandMessage(new Rename("prj-1", "new title"));

        // when
        VersionedAggregateIdentifier target = targets.resolveTarget(command);

        // then
        assertThat(target.getIdentifier()).isEqualTo("prj-1");
        assertThat(target.getVersion()).isNull();
        assertThat(target).isEqualTo(AnnotationCommandTargetResolver.builder().build().resolveTarget(command));
        assertThat(CommandTargets.target(new Rename("prj-1", "x"))).isEqualTo("prj-1");
    }

    @Test
    void a_creation_names_none_in_the_words_axon_reads_as_no_target() {
        // given a record without an annotated component (a creation)
        var command = GenericCommandMessage.asCommandMessage(new Create("prj-1", "title"));

        // when / then: Axon's creation handler recognises this message and creates the aggregate
        assertThatThrownBy(() -> targets.resolveTarget(command)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("It does not identify the target aggregate.");
        assertThat(CommandTargets.target(new Create("prj-1", "title"))).isNull();
    }

    @Test
    void a_null_identifier_is_missing() {
        var command = GenericCommandMessage.asCommandMessage(new Rename(null, "title"));

        assertThatThrownBy(() -> targets.resolveTarget(command)).isInstanceOf(IdentifierMissingException.class);
        assertThat(CommandTargets.target(new Rename(null, "title"))).isNull();
    }

    @Test
    void a_command_that_is_not_a_record_is_resolved_by_axon() {
        var command = GenericCommandMessage.asCommandMessage(new Legacy("agg-7"));

        assertThat(targets.resolveTarget(command).getIdentifier()).isEqualTo("agg-7");
        assertThat(CommandTargets.target(new Legacy("agg-7"))).isNull();
    }
}
