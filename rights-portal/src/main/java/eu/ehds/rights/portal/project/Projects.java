package eu.ehds.rights.portal.project;

import eu.ehds.rights.ledger.api.common.Require;
import eu.ehds.rights.ledger.api.project.ApprovePermitCommand;
import eu.ehds.rights.ledger.api.project.CloseProjectCommand;
import eu.ehds.rights.ledger.api.project.LegalBasis;
import eu.ehds.rights.ledger.api.project.PublishResultsCommand;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.ledger.api.project.RecordDataUsageCommand;
import eu.ehds.rights.ledger.api.project.RecordDerogationCommand;
import eu.ehds.rights.ledger.api.project.RegisterProjectCommand;
import eu.ehds.rights.ledger.api.project.SetLegalBasisCommand;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * The one way each change to the project register is made, from the staff API or the staff pages: it names the
 * action, fingerprints the request as given (a default filled in here, such as "now", is not part of it, so that a
 * retry matches) and builds the command.
 *
 * <pre>{@code
 * CommandReceipt permit = projects.approvePermit(projectId, "HDAB-2026-17", null, "staff:admin", key);
 * }</pre>
 */
@Service
public class Projects {

    /** A project as staff register it. */
    public record NewProject(String title, String controller, String purposeCategory, List<String> dataHolders,
                             List<String> datasets, LocalDate plannedStart, LocalDate plannedEnd, String titleEn,
                             String summaryFr, String summaryEn, String legalBasis, String consentNotice) {
    }

    /** An extract delivered to a project. */
    public record Usage(String dataHolder, String dataset, Instant deliveredAt, long personCount,
                        String cohortCommitment) {
    }

    /** A recorded usage: its id (derived from the idempotency key) and the receipt. */
    public record RecordedUsage(String usageId, CommandReceipt receipt) {
    }

    /** What a retry with the same idempotency key must repeat exactly, per action. */
    private record Permit(String projectId, String permitId, Instant approvedAt) {
    }

    private record Derogation(String projectId, String legalGround, String justification) {
    }

    private record Closure(String projectId) {
    }

    private record Results(String projectId, String summary, String resultsUrl) {
    }

    private record Delivered(String projectId, Usage usage) {
    }

    private record Basis(String projectId, String legalBasis, String consentNotice) {
    }

    private final LedgerCommands commands;
    private final Clock clock;

    Projects(LedgerCommands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    /** Registers a project; the receipt's aggregate is the new project's id. */
    public CommandReceipt register(NewProject p, String recordedBy, String idempotencyKey) {
        return commands.submit("projects/register", p, idempotencyKey, () -> new RegisterProjectCommand(
                "prj-" + UUID.randomUUID(), p.title(), p.controller(), PurposeCategory.parse(p.purposeCategory()),
                p.dataHolders(), p.datasets(), p.plannedStart(), p.plannedEnd(), recordedBy, clock.instant(),
                idempotencyKey, p.titleEn(), p.summaryFr(), p.summaryEn(), LegalBasis.parse(p.legalBasis()),
                p.consentNotice()));
    }

    /** Changes the project's legal basis (an event of its own, in the register's history). */
    public CommandReceipt setLegalBasis(String projectId, String legalBasis, String consentNotice, String recordedBy,
                                        String idempotencyKey) {
        return commands.submit("projects/legal-basis", new Basis(projectId, legalBasis, consentNotice),
                idempotencyKey, () -> new SetLegalBasisCommand(projectId, LegalBasis.parse(legalBasis),
                        consentNotice, recordedBy, clock.instant(), idempotencyKey));
    }

    /** Approves the data permit, at {@code approvedAt} or, when null, now. */
    public CommandReceipt approvePermit(String projectId, String permitId, Instant approvedAt, String recordedBy,
                                        String idempotencyKey) {
        return commands.submit("projects/permit", new Permit(projectId, permitId, approvedAt), idempotencyKey,
                () -> new ApprovePermitCommand(projectId, permitId, approvedAt != null ? approvedAt : clock.instant(),
                        recordedBy, idempotencyKey));
    }

    public CommandReceipt recordDerogation(String projectId, String legalGround, String justification,
                                           String recordedBy, String idempotencyKey) {
        return commands.submit("projects/derogation", new Derogation(projectId, legalGround, justification),
                idempotencyKey, () -> new RecordDerogationCommand(projectId, legalGround, justification, recordedBy,
                        clock.instant(), idempotencyKey));
    }

    public CommandReceipt close(String projectId, String recordedBy, String idempotencyKey) {
        return commands.submit("projects/closure", new Closure(projectId), idempotencyKey,
                () -> new CloseProjectCommand(projectId, recordedBy, clock.instant(), idempotencyKey));
    }

    public CommandReceipt publishResults(String projectId, String summary, String resultsUrl, String recordedBy,
                                         String idempotencyKey) {
        return commands.submit("projects/results", new Results(projectId, summary, resultsUrl), idempotencyKey,
                () -> new PublishResultsCommand(projectId, summary, resultsUrl, recordedBy, clock.instant(),
                        idempotencyKey));
    }

    /** Records an extract delivered to the project, at {@code deliveredAt} or, when null, now. */
    public RecordedUsage recordUsage(String projectId, Usage u, String recordedBy, String idempotencyKey) {
        Require.idempotencyKey(idempotencyKey);
        String usageId = "use-" + UUID.nameUUIDFromBytes(idempotencyKey.getBytes(StandardCharsets.UTF_8));
        CommandReceipt receipt = commands.submit("projects/usages", new Delivered(projectId, u), idempotencyKey,
                () -> new RecordDataUsageCommand(projectId, usageId, u.dataHolder(), u.dataset(),
                        u.deliveredAt() != null ? u.deliveredAt() : clock.instant(), u.personCount(),
                        u.cohortCommitment(), recordedBy, idempotencyKey));
        return new RecordedUsage(usageId, receipt);
    }
}
