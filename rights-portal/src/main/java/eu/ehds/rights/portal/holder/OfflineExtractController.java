package eu.ehds.rights.portal.holder;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.Require;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.projections.extract.FilterOutcome;
import eu.ehds.rights.projections.extract.OptOutSnapshot;
import eu.ehds.rights.projections.usage.CohortFile;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
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
 * Offline filtering: data holders download a signed snapshot of the persons excluded from a project's extracts,
 * filter at home (identifiers never leave them), report counts and hashes, then lodge the delivered persons' keys
 * so that those persons can see the usage.
 */
@RestController
@RequestMapping("/api/v1/extracts")
@Tag(name = "Extract filtering (data holders)")
class OfflineExtractController {

    private final DecisionProperties properties;
    private final VerifiableLog log;
    private final Deliveries deliveries;
    private final FilterCertificates certificates;
    private final Snapshots snapshots;
    private final NoteSigner signer;
    private final Cohorts cohorts;
    private final tools.jackson.databind.ObjectMapper json;
    private final Clock clock;

    OfflineExtractController(DecisionProperties properties, VerifiableLog log,
                             Deliveries deliveries, FilterCertificates certificates, Snapshots snapshots,
                             NoteSigner signer, Cohorts cohorts, tools.jackson.databind.ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.log = log;
        this.deliveries = deliveries;
        this.certificates = certificates;
        this.snapshots = snapshots;
        this.signer = signer;
        this.cohorts = cohorts;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping(path = "/snapshot", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(summary = "A signed snapshot of the persons excluded from this project's extracts, for offline filtering")
    void snapshot(@RequestParam String projectId, @RequestParam String dataset, Principal holder,
                  HttpServletResponse response) throws IOException {
        String dataHolder = holder.getName();
        Deliveries.Opened delivery = deliveries.open(projectId, dataset, dataHolder);
        Map<String, String> fields = snapshots.issue(delivery.sheet(), dataHolder, dataset, properties.rule(),
                delivery.extractAt(), delivery.treeSize(), log.root(delivery.treeSize()));
        response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        response.setHeader("Snapshot-Id", fields.get("snapshot"));
        OptOutSnapshot.write(fields, delivery.persons(), delivery.onlyListed(), signer, response.getOutputStream());
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
        checkCounts(report);
        Snapshots.Issued snapshot = snapshots.find(report.snapshotId(), dataHolder);
        if (clock.instant().isAfter(snapshot.validUntil())) {
            throw new ConflictException("snapshot " + report.snapshotId() + " expired at " + snapshot.validUntil()
                    + "; filter again against a new one");
        }
        String filterId = "off-" + HexFormat.of().formatHex(Sha256.of((report.snapshotId() + "|"
                + report.inputSha256() + "|" + report.outputSha256()).getBytes(StandardCharsets.UTF_8)), 0, 12);
        java.util.Optional<String> existing = certificates.find(filterId, dataHolder);
        if (existing.isPresent()) {
            return ResponseEntity.ok(existing.get());
        }
        FilterOutcome outcome = new FilterOutcome(report.rows(), report.allowed(), report.excluded(), report.errors(),
                report.inputSha256(), report.outputSha256(), report.cohortCommitment());
        String certificate = deliveries.recordAndCertify(filterId, snapshot.projectId(), snapshot.permitId(), dataHolder,
                snapshot.dataset(), snapshot.rule(), snapshot.extractAt(), snapshot.treeSize(), outcome,
                report.cohortKeysSha256(), "line,error\n(reported by the data holder's own tool)\n");
        return ResponseEntity.status(HttpStatus.CREATED).header("Filter-Id", filterId).body(certificate);
    }

    /** Far above any extract (rows may repeat persons), far below where a sum of three could overflow. */
    static final long MAX_ROWS = 1_000_000_000_000L;

    /**
     * Counts within bounds, adding up exactly (a certificate must never sign counts that wrapped around), and at least one
     * row read.
     */
    static void checkCounts(OfflineReport report) {
        for (long count : new long[] {report.rows(), report.allowed(), report.excluded(), report.errors()}) {
            if (count < 0 || count > MAX_ROWS) {
                throw new InvalidRequestException("each count must be between 0 and " + MAX_ROWS);
            }
        }
        if (report.rows() != Math.addExact(Math.addExact(report.allowed(), report.excluded()), report.errors())) {
            throw new InvalidRequestException("rows must equal allowed + excluded + errors");
        }
        Deliveries.requireSomeRowRead(report.rows(), report.errors()); // as an extract filtered online
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
}
