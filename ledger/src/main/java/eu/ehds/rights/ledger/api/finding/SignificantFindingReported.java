package eu.ehds.rights.ledger.api.finding;

import java.time.Instant;

/**
 * Event type {@code SignificantFindingReported}, revision 1 (EHDS Art. 61(5)): a project found something significant
 * about a person's health. The clinical content is kept encrypted outside the log; {@code contentSha256} commits to it.
 */
public record SignificantFindingReported(String findingId, String projectId, String person, Severity severity,
                                         String contentSha256, String recordedBy, Instant reportedAt) {
}
