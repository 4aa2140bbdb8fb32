package eu.ehds.rights.ledger.api.project;

import java.time.Instant;

/** Event type {@code ResultsPublished}, revision 1. */
public record ResultsPublished(String projectId, String summary, String resultsUrl, String recordedBy,
                               Instant publishedAt) {
}
