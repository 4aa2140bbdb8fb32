package eu.ehds.rights.ledger.project;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.project.ApprovePermitCommand;
import eu.ehds.rights.ledger.api.project.CloseProjectCommand;
import eu.ehds.rights.ledger.api.project.DataUsageRecorded;
import eu.ehds.rights.ledger.api.project.LegalBasis;
import eu.ehds.rights.ledger.api.project.LegalBasisSet;
import eu.ehds.rights.ledger.api.project.PermitApproved;
import eu.ehds.rights.ledger.api.project.ProjectClosed;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.ledger.api.project.PublicInterestDerogationRecorded;
import eu.ehds.rights.ledger.api.project.PublishResultsCommand;
import eu.ehds.rights.ledger.api.project.RecordDataUsageCommand;
import eu.ehds.rights.ledger.api.project.RecordDerogationCommand;
import eu.ehds.rights.ledger.api.project.RegisterProjectCommand;
import eu.ehds.rights.ledger.api.project.ResultsPublished;
import eu.ehds.rights.ledger.api.project.SetLegalBasisCommand;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/** A secondary-use project: its public sheet, permit, derogation, deliveries and closure. */
class Project {

    @AggregateIdentifier
    private String projectId;
    private List<String> dataHolders;
    private List<String> datasets;
    private String permitId;
    private Instant permitApprovedAt;
    private boolean derogation;
    private boolean closed;
    private final Set<String> usageIds = new HashSet<>();
    private LegalBasis legalBasis = LegalBasis.OPT_OUT;
    private String consentNotice;

    Project() {
        // for Axon
    }

    @CommandHandler
    Project(RegisterProjectCommand command) {
        apply(new ProjectRegistered(command.projectId(), command.title(), command.controller(),
                command.purposeCategory(), command.dataHolders(), command.datasets(), command.plannedStart(),
                command.plannedEnd(), command.recordedBy(), command.registeredAt(), command.titleEn(),
                command.summaryFr(), command.summaryEn()));
        if (command.legalBasis() != LegalBasis.OPT_OUT) {
            apply(new LegalBasisSet(command.projectId(), command.legalBasis(), command.consentNotice(),
                    command.recordedBy(), command.registeredAt()));
        }
    }

    @CommandHandler
    void handle(SetLegalBasisCommand command) {
        requireOpen();
        if (command.legalBasis() == legalBasis && java.util.Objects.equals(command.consentNotice(), consentNotice)) {
            throw new ConflictException("this project's legal basis is already " + legalBasis);
        }
        apply(new LegalBasisSet(projectId, command.legalBasis(), command.consentNotice(), command.recordedBy(),
                command.setAt()));
    }

    @CommandHandler
    void handle(ApprovePermitCommand command) {
        requireOpen();
        if (permitId != null) {
            throw new ConflictException("a permit (" + permitId + ") was already approved for this project");
        }
        apply(new PermitApproved(projectId, command.permitId(), command.approvedAt(), command.recordedBy()));
    }

    @CommandHandler
    void handle(RecordDerogationCommand command) {
        requireOpen();
        if (derogation) {
            throw new ConflictException("a public-interest derogation is already recorded for this project");
        }
        apply(new PublicInterestDerogationRecorded(projectId, command.legalGround(), command.justification(),
                command.recordedBy(), command.recordedAt()));
    }

    @CommandHandler
    void handle(CloseProjectCommand command) {
        requireOpen();
        apply(new ProjectClosed(projectId, command.recordedBy(), command.closedAt()));
    }

    @CommandHandler
    void handle(PublishResultsCommand command) {
        if (permitId == null) {
            throw new ConflictException("results can only be published for a project with an approved permit");
        }
        apply(new ResultsPublished(projectId, command.summary(), command.resultsUrl(), command.recordedBy(),
                command.publishedAt()));
    }

    @CommandHandler
    void handle(RecordDataUsageCommand command) {
        requireOpen();
        if (permitId == null) {
            throw new ConflictException("no data may be delivered to a project without an approved permit");
        }
        if (command.deliveredAt().isBefore(permitApprovedAt)) {
            throw new ConflictException("a delivery cannot precede the approval of the permit");
        }
        if (!dataHolders.contains(command.dataHolder())) {
            throw new InvalidRequestException("data holder '" + command.dataHolder()
                    + "' is not listed on this project's sheet");
        }
        if (!datasets.contains(command.dataset())) {
            throw new InvalidRequestException("dataset '" + command.dataset() + "' is not listed on this project's sheet");
        }
        if (usageIds.contains(command.usageId())) {
            throw new ConflictException("usage '" + command.usageId() + "' is already recorded");
        }
        apply(new DataUsageRecorded(projectId, command.usageId(), command.dataHolder(), command.dataset(),
                command.deliveredAt(), command.personCount(), command.cohortCommitment(), command.recordedBy()));
    }

    private void requireOpen() {
        if (closed) {
            throw new ConflictException("project " + projectId + " is closed");
        }
    }

    @EventSourcingHandler
    void on(ProjectRegistered event) {
        projectId = event.projectId();
        dataHolders = List.copyOf(event.dataHolders());
        datasets = List.copyOf(event.datasets());
    }

    @EventSourcingHandler
    void on(PermitApproved event) {
        permitId = event.permitId();
        permitApprovedAt = event.approvedAt();
    }

    @EventSourcingHandler
    void on(PublicInterestDerogationRecorded event) {
        derogation = true;
    }

    @EventSourcingHandler
    void on(ProjectClosed event) {
        closed = true;
    }

    @EventSourcingHandler
    void on(LegalBasisSet event) {
        legalBasis = event.legalBasis();
        consentNotice = event.consentNotice();
    }

    @EventSourcingHandler
    void on(DataUsageRecorded event) {
        usageIds.add(event.usageId());
    }
}
