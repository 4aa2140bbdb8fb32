package eu.ehds.rights.ledger.api.project;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Staff change a project's legal basis; a {@code CONSENT} project needs its information notice. */
public record SetLegalBasisCommand(@TargetAggregateIdentifier String projectId, LegalBasis legalBasis,
                                   String consentNotice, String recordedBy, Instant setAt,
                                   String idempotencyKey) implements IdempotentCommand {

    public SetLegalBasisCommand {
        Require.text(projectId, "projectId", 64);
        Require.present(legalBasis, "legalBasis");
        consentNotice = notice(legalBasis, consentNotice);
        Require.recorded(recordedBy, idempotencyKey);
        Require.present(setAt, "setAt");
    }

    /** The notice of a consent project (required), none for an opt-out one. */
    static String notice(LegalBasis legalBasis, String consentNotice) {
        if (legalBasis != LegalBasis.CONSENT) {
            return null;
        }
        if (consentNotice == null || consentNotice.isBlank()) {
            throw new InvalidRequestException("project.consent-notice-required", "consentNotice is required for a "
                    + "CONSENT project: the information persons are shown before they consent");
        }
        return Require.text(consentNotice, "consentNotice", 4000);
    }
}
