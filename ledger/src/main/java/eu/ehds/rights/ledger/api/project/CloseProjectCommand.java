package eu.ehds.rights.ledger.api.project;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Closes a project: no further data may be delivered to it. */
public record CloseProjectCommand(@TargetAggregateIdentifier String projectId, String recordedBy, Instant closedAt,
                                  String idempotencyKey) implements IdempotentCommand {

    public CloseProjectCommand {
        Require.text(projectId, "projectId", 64);
        Require.recorded(recordedBy, idempotencyKey);
        Require.present(closedAt, "closedAt");
    }
}
