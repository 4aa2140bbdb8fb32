package eu.ehds.rights.ledger.api.project;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records a public-interest derogation (EHDS Art. 71(4)): opt-outs do not apply to this project. */
public record RecordDerogationCommand(@TargetAggregateIdentifier String projectId, String legalGround,
                                      String justification, String recordedBy, Instant recordedAt,
                                      String idempotencyKey) implements IdempotentCommand {

    public RecordDerogationCommand {
        Require.text(projectId, "projectId", 64);
        legalGround = Require.text(legalGround, "legalGround", 500);
        justification = Require.text(justification, "justification", 5000);
        Require.recorded(recordedBy, idempotencyKey);
        Require.present(recordedAt, "recordedAt");
    }
}
