package eu.ehds.rights.ledger.api.project;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The access body enters a project in the public register (EHDS Art. 58(1)). */
public record RegisterProjectCommand(@TargetAggregateIdentifier String projectId, String title, String controller,
                                     PurposeCategory purposeCategory, List<String> dataHolders, List<String> datasets,
                                     LocalDate plannedStart, LocalDate plannedEnd, String recordedBy,
                                     Instant registeredAt, String idempotencyKey, String titleEn, String summaryFr,
                                     String summaryEn, LegalBasis legalBasis,
                                     String consentNotice) implements IdempotentCommand {

    /** A project with its title in French only and no summary. */
    public RegisterProjectCommand(String projectId, String title, String controller, PurposeCategory purposeCategory,
                                  List<String> dataHolders, List<String> datasets, LocalDate plannedStart,
                                  LocalDate plannedEnd, String recordedBy, Instant registeredAt,
                                  String idempotencyKey) {
        this(projectId, title, controller, purposeCategory, dataHolders, datasets, plannedStart, plannedEnd,
                recordedBy, registeredAt, idempotencyKey, null, null, null, LegalBasis.OPT_OUT, null);
    }

    public RegisterProjectCommand {
        Require.text(projectId, "projectId", 64);
        title = Require.text(title, "title", 300);
        controller = Require.text(controller, "controller", 300);
        Require.present(purposeCategory, "purposeCategory");
        dataHolders = Require.texts(dataHolders, "dataHolders", 100, 200);
        datasets = Require.texts(datasets, "datasets", 200, 200);
        Require.present(plannedStart, "plannedStart");
        Require.present(plannedEnd, "plannedEnd");
        if (plannedEnd.isBefore(plannedStart)) {
            throw new InvalidRequestException("plannedEnd must not be before plannedStart");
        }
        Require.recorded(recordedBy, idempotencyKey);
        Require.present(registeredAt, "registeredAt");
        titleEn = optional(titleEn, "titleEn", 300);
        summaryFr = optional(summaryFr, "summaryFr", 2000);
        summaryEn = optional(summaryEn, "summaryEn", 2000);
        legalBasis = legalBasis == null ? LegalBasis.OPT_OUT : legalBasis;
        consentNotice = SetLegalBasisCommand.notice(legalBasis, consentNotice);
    }

    private static String optional(String text, String field, int max) {
        return text == null || text.isBlank() ? null : Require.text(text, field, max);
    }
}
