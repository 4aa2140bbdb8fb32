package eu.ehds.rights.ledger.api.project;

import java.time.Instant;

/** Event type {@code DataUsageRecorded}, revision 1. */
public record DataUsageRecorded(String projectId, String usageId, String dataHolder, String dataset,
                                Instant deliveredAt, long personCount, String cohortCommitment,
                                String recordedBy) {
}
