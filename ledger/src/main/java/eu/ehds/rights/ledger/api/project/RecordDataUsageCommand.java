package eu.ehds.rights.ledger.api.project;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A data holder delivered an extract to a project. The cohort itself is not recorded, only its commitment
 * (SHA-256, hex) so that a citizen's membership can later be proven against it.
 */
public record RecordDataUsageCommand(@TargetAggregateIdentifier String projectId, String usageId, String dataHolder,
                                     String dataset, Instant deliveredAt, long personCount, String cohortCommitment,
                                     String recordedBy, String idempotencyKey) implements IdempotentCommand {

    public RecordDataUsageCommand {
        Require.text(projectId, "projectId", 64);
        Require.text(usageId, "usageId", 64);
        dataHolder = Require.text(dataHolder, "dataHolder", 200);
        dataset = Require.text(dataset, "dataset", 200);
        Require.present(deliveredAt, "deliveredAt");
        if (personCount < 0) {
            throw new InvalidRequestException("personCount must not be negative");
        }
        Require.hex(cohortCommitment, "cohortCommitment", 64);
        Require.recorded(recordedBy, idempotencyKey);
    }
}
