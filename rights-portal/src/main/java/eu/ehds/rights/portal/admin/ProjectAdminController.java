package eu.ehds.rights.portal.admin;

import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.project.Projects;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Access-body staff keep the public project register: sheets, permits, derogations, closures, results. */
@RestController
@RequestMapping("/api/v1/projects")
@Tag(name = "Projects (staff)")
class ProjectAdminController {

    record RegisterRequest(String title, String controller, String purposeCategory, List<String> dataHolders,
                           List<String> datasets, LocalDate plannedStart, LocalDate plannedEnd,
                           String idempotencyKey,
                           String titleEn, String summaryFr, String summaryEn, String legalBasis,
                           String consentNotice) {
    }

    record LegalBasisRequest(String legalBasis, String consentNotice, String idempotencyKey) {
    }

    record PermitRequest(String permitId, Instant approvedAt, String idempotencyKey) {
    }

    record DerogationRequest(String legalGround, String justification, String idempotencyKey) {
    }

    record ClosureRequest(String idempotencyKey) {
    }

    record ResultsRequest(String summary, String resultsUrl, String idempotencyKey) {
    }

    record UsageRequest(String dataHolder, String dataset, Instant deliveredAt, long personCount,
                        String cohortCommitment, String idempotencyKey) {
    }

    record ProjectResponse(String projectId, long leafIndex, long treeSize) {
    }

    record UsageResponse(String usageId, long leafIndex, long treeSize) {
    }

    private final Projects projects;

    ProjectAdminController(Projects projects) {
        this.projects = projects;
    }

    @PostMapping
    @Operation(summary = "Register a project in the public register (EHDS Art. 58(1))")
    ResponseEntity<ProjectResponse> register(@RequestBody RegisterRequest r, Principal staff) {
        CommandReceipt receipt = projects.register(new Projects.NewProject(r.title(), r.controller(),
                r.purposeCategory(), r.dataHolders(), r.datasets(), r.plannedStart(), r.plannedEnd(), r.titleEn(),
                r.summaryFr(), r.summaryEn(), r.legalBasis(), r.consentNotice()), StaffActor.of(staff),
                r.idempotencyKey());
        return ReceiptResponse.created(receipt,
                new ProjectResponse(receipt.aggregateId(), receipt.leafIndex(), receipt.treeSize()));
    }

    @PostMapping("/{projectId}/legal-basis")
    @Operation(summary = "Change the project's legal basis: OPT_OUT or CONSENT (with the notice persons are shown)")
    ResponseEntity<ReceiptResponse> legalBasis(@PathVariable String projectId, @RequestBody LegalBasisRequest r,
                                               Principal staff) {
        return ReceiptResponse.created(projects.setLegalBasis(projectId, r.legalBasis(), r.consentNotice(),
                StaffActor.of(staff), r.idempotencyKey()));
    }

    @PostMapping("/{projectId}/permit")
    @Operation(summary = "Approve the data permit; approvedAt defaults to now")
    ResponseEntity<ReceiptResponse> permit(@PathVariable String projectId, @RequestBody PermitRequest r,
                                           Principal staff) {
        return ReceiptResponse.created(projects.approvePermit(projectId, r.permitId(), r.approvedAt(),
                StaffActor.of(staff), r.idempotencyKey()));
    }

    @PostMapping("/{projectId}/derogation")
    @Operation(summary = "Record a public-interest derogation (EHDS Art. 71(4))")
    ResponseEntity<ReceiptResponse> derogation(@PathVariable String projectId, @RequestBody DerogationRequest r,
                                               Principal staff) {
        return ReceiptResponse.created(projects.recordDerogation(projectId, r.legalGround(), r.justification(),
                StaffActor.of(staff), r.idempotencyKey()));
    }

    @PostMapping("/{projectId}/closure")
    @Operation(summary = "Close a project")
    ResponseEntity<ReceiptResponse> close(@PathVariable String projectId, @RequestBody ClosureRequest r,
                                          Principal staff) {
        return ReceiptResponse.created(projects.close(projectId, StaffActor.of(staff), r.idempotencyKey()));
    }

    @PostMapping("/{projectId}/results")
    @Operation(summary = "Publish a project's results")
    ResponseEntity<ReceiptResponse> results(@PathVariable String projectId, @RequestBody ResultsRequest r,
                                            Principal staff) {
        return ReceiptResponse.created(projects.publishResults(projectId, r.summary(), r.resultsUrl(),
                StaffActor.of(staff), r.idempotencyKey()));
    }

    @PostMapping("/{projectId}/usages")
    @Operation(summary = "Record an extract delivered to the project (data usage)")
    ResponseEntity<UsageResponse> usage(@PathVariable String projectId, @RequestBody UsageRequest r,
                                        Principal staff) {
        Projects.RecordedUsage usage = projects.recordUsage(projectId, new Projects.Usage(r.dataHolder(), r.dataset(),
                r.deliveredAt(), r.personCount(), r.cohortCommitment()), StaffActor.of(staff), r.idempotencyKey());
        return ReceiptResponse.created(usage.receipt(), new UsageResponse(usage.usageId(),
                usage.receipt().leafIndex(), usage.receipt().treeSize()));
    }
}
