package eu.ehds.rights.ledger.api.project;

import java.time.Instant;

/** Event type {@code PublicInterestDerogationRecorded}, revision 1 (EHDS Art. 71(4)). */
public record PublicInterestDerogationRecorded(String projectId, String legalGround, String justification,
                                               String recordedBy, Instant recordedAt) {
}
