package eu.ehds.rights.ledger.api.project;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The access body approves the data permit of a registered project. */
public record ApprovePermitCommand(@TargetAggregateIdentifier String projectId, String permitId, Instant approvedAt,
                                   String recordedBy, String idempotencyKey) implements IdempotentCommand {

    public ApprovePermitCommand {
        Require.text(projectId, "projectId", 64);
        permitId = Require.text(permitId, "permitId", 100);
        Require.present(approvedAt, "approvedAt");
        Require.recorded(recordedBy, idempotencyKey);
    }
}
