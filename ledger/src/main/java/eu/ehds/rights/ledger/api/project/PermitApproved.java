package eu.ehds.rights.ledger.api.project;

import java.time.Instant;

/** Event type {@code PermitApproved}, revision 1. Opt-outs registered up to {@code approvedAt} apply. */
public record PermitApproved(String projectId, String permitId, Instant approvedAt, String recordedBy) {
}
