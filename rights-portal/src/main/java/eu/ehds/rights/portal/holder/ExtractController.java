package eu.ehds.rights.portal.holder;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.common.Require;
import eu.ehds.rights.ledger.api.project.RecordDataUsageCommand;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.log.MerkleHashes;
import eu.ehds.rights.projections.decision.RuleMode;
import eu.ehds.rights.projections.extract.OptOutSnapshot;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import eu.ehds.rights.projections.decision.Decision;
import eu.ehds.rights.projections.decision.DecisionProjection;
import eu.ehds.rights.projections.decision.ProjectRegister;
import eu.ehds.rights.projections.extract.ExtractFilter;
import eu.ehds.rights.projections.extract.FilterOutcome;
import eu.ehds.rights.projections.extract.PseudonymSet;
import eu.ehds.rights.projections.usage.CohortFile;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Data holders filter extracts here: the body (identifiers one per line, or CSV with {@code column} naming the
 * identifier column; gzip accepted) streams in, the allowed rows stream back. The delivery is then recorded in the
 * ledger as data usage and a signed certificate is issued under the {@code Filter-Id} of the response.
 */
@RestController
@RequestMapping("/api/v1/extracts")
@Tag(name = "Extract filtering (data holders)")
class ExtractController {

    private static final Logger LOG = LoggerFactory.getLogger(ExtractController.class);
    private static final int MAX_REPORTED_ERRORS = 10_000;

    private final DecisionProjection readModel;
    private final Pseudonymiser pseudonymiser;
    private final DecisionProperties properties;
    private final VerifiableLog log;
    private final LedgerCommands commands;
    private final FilterCertificates certificates;
    private final Snapshots snapshots;
    private final NoteSigner signer;
    private final Cohorts cohorts;
    private final tools.jackson.databind.ObjectMapper json;
    private final Clock clock;

    ExtractController(DecisionProjection readModel, Pseudonymiser pseudonymiser, DecisionProperties properties,
                      VerifiableLog log, LedgerCommands commands, FilterCertificates certificates, Snapshots snapshots,
                      NoteSigner signer, Cohorts cohorts, tools.jackson.databind.ObjectMapper json, Clock clock) {
        this.cohorts = cohorts;
        this.json = json;
        this.snapshots = snapshots;
        this.signer = signer;
        this.readModel = readModel;
        this.pseudonymiser = pseudonymiser;
        this.properties = properties;
        this.log = log;
        this.commands = commands;
        this.certificates = certificates;
        this.clock = clock;
    }

    @PostMapping(path = "/filter", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Filter an extract against the opt-outs; the allowed rows stream back")
    void filter(@RequestParam String projectId, @RequestParam String dataset,
                @RequestParam(required = false) String column, Principal holder, HttpServletRequest request,
                HttpServletResponse response) throws IOException {
        String dataHolder = holder.getName();
        long treeSize = readModel.treeSize();
        Instant extractAt = clock.instant();
        ProjectRegister.Sheet sheet = deliverable(projectId, dataset, dataHolder, extractAt, treeSize);
        PseudonymSet excluded = readModel.excluded(projectId, extractAt, treeSize, properties.rule());
        String filterId = "flt-" + UUID.randomUUID();
        StringBuilder errors = new StringBuilder("line,error\n");
        long[] reported = {0};

        response.setHeader("Filter-Id", filterId);
        response.setContentType(column == null ? "text/plain;charset=UTF-8" : "text/csv;charset=UTF-8");
        OutputStream out = response.getOutputStream();
        FilterOutcome outcome;
        CohortFile.Written cohortFile;
        Path cohort = cohorts.fileOf(usageIdOf(filterId));
        try (CohortFile.Writer delivered = CohortFile.writer(cohorts.workDir())) {
            outcome = new ExtractFilter(excluded::contains, pseudonymiser).filter(request.getInputStream(), out,
                    (line, message) -> {
                        if (reported[0]++ < MAX_REPORTED_ERRORS) {
                            errors.append(line).append(",\"").append(message.replace("\"", "\"\"")).append("\"\n");
                        }
                    }, column, null, delivered::add);
            out.flush();
            cohortFile = delivered.finish(cohort);
        }

        // The extract has been delivered: record the usage, then certify.
        try {
            recordAndCertify(filterId, projectId, sheet.permitId(), dataHolder, dataset, properties.rule(), extractAt,
                    treeSize, outcome, cohortFile.sha256(), errors.toString());
        } catch (RuntimeException e) {
            // The rows are already sent; without a recorded usage there is no certificate, and the holder sees it.
            LOG.error("filter {} for project {}: delivery not recorded", filterId, projectId, e);
            java.nio.file.Files.deleteIfExists(cohort);
        }
    }

    @GetMapping(path = "/snapshot", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(summary = "A signed snapshot of the persons excluded from this project's extracts, for offline filtering")
    void snapshot(@RequestParam String projectId, @RequestParam String dataset, Principal holder,
                  HttpServletResponse response) throws IOException {
        String dataHolder = holder.getName();
        long treeSize = readModel.treeSize();
        Instant extractAt = clock.instant();
        ProjectRegister.Sheet sheet = deliverable(projectId, dataset, dataHolder, extractAt, treeSize);
        PseudonymSet excluded = readModel.excluded(projectId, extractAt, treeSize, properties.rule());
        Map<String, String> fields = snapshots.issue(sheet, dataHolder, dataset, properties.rule(), extractAt,
                treeSize, log.root(treeSize));
        response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        response.setHeader("Snapshot-Id", fields.get("snapshot"));
        OptOutSnapshot.write(fields, excluded, signer, response.getOutputStream());
    }

    /** What a data holder reports after filtering offline against a snapshot: counts and hashes only. */
    record OfflineReport(String snapshotId, long rows, long allowed, long excluded, long errors, String inputSha256,
                         String outputSha256, String cohortCommitment, String cohortKeysSha256) {
    }

    @PostMapping(path = "/reports", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Report an extract filtered offline: the usage is recorded and a certificate issued")
    ResponseEntity<String> report(@RequestBody OfflineReport report, Principal holder) {
        String dataHolder = holder.getName();
        Require.hex(report.inputSha256(), "inputSha256", 64);
        Require.hex(report.outputSha256(), "outputSha256", 64);
        Require.hex(report.cohortCommitment(), "cohortCommitment", 64);
        if (report.cohortKeysSha256() != null) {
            Require.hex(report.cohortKeysSha256(), "cohortKeysSha256", 64);
        }
        if (report.rows() < 0 || report.allowed() < 0 || report.excluded() < 0 || report.errors() < 0
                || report.rows() != report.allowed() + report.excluded() + report.errors()) {
            throw new InvalidRequestException("counts must be non-negative and rows = allowed + excluded + errors");
        }
        Snapshots.Issued snapshot = snapshots.find(report.snapshotId(), dataHolder);
        if (clock.instant().isAfter(snapshot.validUntil())) {
            throw new ConflictException("snapshot " + report.snapshotId() + " expired at " + snapshot.validUntil()
                    + "; filter again against a new one");
        }
        String filterId = "off-" + HexFormat.of().formatHex(MerkleHashes.sha256((report.snapshotId() + "|"
                + report.inputSha256() + "|" + report.outputSha256()).getBytes(StandardCharsets.UTF_8)), 0, 12);
        java.util.Optional<String> existing = certificates.find(filterId, dataHolder);
        if (existing.isPresent()) {
            return ResponseEntity.ok(existing.get());
        }
        FilterOutcome outcome = new FilterOutcome(report.rows(), report.allowed(), report.excluded(), report.errors(),
                report.inputSha256(), report.outputSha256(), report.cohortCommitment());
        String certificate = recordAndCertify(filterId, snapshot.projectId(), snapshot.permitId(), dataHolder,
                snapshot.dataset(), snapshot.rule(), snapshot.extractAt(), snapshot.treeSize(), outcome,
                report.cohortKeysSha256(), "line,error\n(reported by the data holder's own tool)\n");
        return ResponseEntity.status(HttpStatus.CREATED).header("Filter-Id", filterId).body(certificate);
    }

    /** Checks that the project may receive this dataset from this holder now; returns its sheet. */
    private ProjectRegister.Sheet deliverable(String projectId, String dataset, String dataHolder, Instant extractAt,
                                              long treeSize) {
        ProjectRegister.Sheet sheet = readModel.sheet(projectId, treeSize)
                .orElseThrow(() -> new NotFoundException("no project '" + projectId + "' in the register"));
        if (!sheet.dataHolders().contains(dataHolder)) {
            throw new ConflictException("data holder '" + dataHolder + "' is not listed on this project's sheet");
        }
        if (!sheet.datasets().contains(dataset)) {
            throw new InvalidRequestException("dataset '" + dataset + "' is not listed on this project's sheet");
        }
        Decision project = readModel.projectDecision(projectId, extractAt, treeSize, properties.rule());
        if (!project.allowed()) {
            throw new ConflictException("no extract may be delivered to this project now: " + project.reason());
        }
        return sheet;
    }

    /** Records the delivery as data usage in the ledger, then signs and stores the certificate. */
    private String recordAndCertify(String filterId, String projectId, String permitId, String dataHolder,
                                    String dataset, RuleMode rule, Instant extractAt, long treeSize,
                                    FilterOutcome outcome, String cohortKeysSha256, String errorReport) {
        String usageId = usageIdOf(filterId);
        CommandReceipt usage = commands.submit("extracts/filter", List.of(filterId, outcome), "filter:" + filterId,
                () -> new RecordDataUsageCommand(projectId, usageId, dataHolder, dataset, extractAt,
                        outcome.allowed(), outcome.cohortCommitment(), "data-holder:" + dataHolder,
                        "filter:" + filterId));
        return certificates.issue(new FilterCertificates.Facts(filterId, projectId, permitId, dataHolder, dataset,
                rule, extractAt, treeSize, log.root(treeSize), outcome, cohortKeysSha256, usageId, usage,
                clock.instant()), errorReport);
    }

    private static String usageIdOf(String filterId) {
        return "use-" + UUID.nameUUIDFromBytes(filterId.getBytes(StandardCharsets.UTF_8));
    }

    @PutMapping(path = "/{filterId}/cohort", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(summary = "Upload the keys of the persons delivered after filtering offline, so that they can see it")
    ResponseEntity<Void> cohort(@PathVariable String filterId, Principal holder, HttpServletRequest request)
            throws IOException {
        tools.jackson.databind.JsonNode certificate = json.readTree(certificates.certificate(filterId, holder.getName()));
        String expected = certificate.path("cohortKeysSha256").asString(null);
        if (expected == null || expected.isEmpty() || certificate.path("cohortKeysSha256").isNull()) {
            throw new ConflictException("the report of " + filterId + " stated no cohortKeysSha256");
        }
        Path target = cohorts.fileOf(certificate.get("usage").get("usageId").asString());
        if (java.nio.file.Files.exists(target)) {
            throw new ConflictException("the cohort of " + filterId + " is already held");
        }
        try {
            CohortFile.accept(request.getInputStream(), target, certificate.get("counts").get("allowed").asLong(),
                    expected);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/{filterId}/certificate", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The signed certificate of a filtered extract")
    String certificate(@PathVariable String filterId, Principal holder) {
        return certificates.certificate(filterId, holder.getName());
    }

    @GetMapping(path = "/{filterId}/errors", produces = "text/csv;charset=UTF-8")
    @Operation(summary = "The rows a filter could not read: line number and reason")
    String errors(@PathVariable String filterId, Principal holder) {
        return certificates.errorReport(filterId, holder.getName());
    }

}
