package eu.ehds.rights.ledger.api.finding;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A project reports a significant finding about a person (by pseudonym); the content is committed to by its hash. */
public record ReportSignificantFindingCommand(@TargetAggregateIdentifier String findingId, String projectId,
                                              String person, Severity severity, String contentSha256, String recordedBy,
                                              Instant reportedAt, String idempotencyKey) implements IdempotentCommand {

    public ReportSignificantFindingCommand {
        Require.text(findingId, "findingId", 64);
        Require.text(projectId, "projectId", 64);
        Require.hex(person, "person pseudonym", 32);
        Require.present(severity, "severity");
        Require.hex(contentSha256, "contentSha256", 64);
        Require.recorded(recordedBy, idempotencyKey);
        Require.present(reportedAt, "reportedAt");
    }
}
