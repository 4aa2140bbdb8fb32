package eu.ehds.rights.ledger.api.project;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Publishes a project's results (EHDS Art. 61(4)), with an optional link to the full report. */
public record PublishResultsCommand(@TargetAggregateIdentifier String projectId, String summary, String resultsUrl,
                                    String recordedBy, Instant publishedAt,
                                    String idempotencyKey) implements IdempotentCommand {

    public PublishResultsCommand {
        Require.text(projectId, "projectId", 64);
        summary = Require.text(summary, "summary", 10000);
        if (resultsUrl != null && !resultsUrl.matches("https://[^\\s]{1,2000}")) {
            throw new InvalidRequestException("resultsUrl must be an https:// address");
        }
        Require.recorded(recordedBy, idempotencyKey);
        Require.present(publishedAt, "publishedAt");
    }
}
