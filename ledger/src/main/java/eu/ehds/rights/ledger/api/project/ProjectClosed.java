package eu.ehds.rights.ledger.api.project;

import java.time.Instant;

/** Event type {@code ProjectClosed}, revision 1. */
public record ProjectClosed(String projectId, String recordedBy, Instant closedAt) {
}
