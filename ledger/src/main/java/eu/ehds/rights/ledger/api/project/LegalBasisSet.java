package eu.ehds.rights.ledger.api.project;

import java.time.Instant;

/**
 * Event type {@code LegalBasisSet}, revision 1: the project's legal basis, set at registration when it is not the
 * default ({@code OPT_OUT}) or changed later. A {@code CONSENT} project publishes the information notice persons are
 * shown before they consent; their consents record its SHA-256.
 */
public record LegalBasisSet(String projectId, LegalBasis legalBasis, String consentNotice, String recordedBy,
                            Instant setAt) {
}
