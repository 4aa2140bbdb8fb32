package eu.ehds.rights.portal.holder;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.project.RecordDataUsageCommand;
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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
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
    private final Clock clock;

    ExtractController(DecisionProjection readModel, Pseudonymiser pseudonymiser, DecisionProperties properties,
                      VerifiableLog log, LedgerCommands commands, FilterCertificates certificates, Clock clock) {
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
        PseudonymSet excluded = readModel.excluded(projectId, extractAt, treeSize, properties.rule());
        String filterId = "flt-" + UUID.randomUUID();
        StringBuilder errors = new StringBuilder("line,error\n");
        long[] reported = {0};

        response.setHeader("Filter-Id", filterId);
        response.setContentType(column == null ? "text/plain;charset=UTF-8" : "text/csv;charset=UTF-8");
        OutputStream out = response.getOutputStream();
        FilterOutcome outcome = new ExtractFilter(excluded::contains, pseudonymiser).filter(request.getInputStream(),
                out, (line, message) -> {
                    if (reported[0]++ < MAX_REPORTED_ERRORS) {
                        errors.append(line).append(",\"").append(message.replace("\"", "\"\"")).append("\"\n");
                    }
                }, column, null);
        out.flush();

        // The extract has been delivered: record the usage, then certify.
        String usageId = "use-" + UUID.nameUUIDFromBytes(filterId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            CommandReceipt usage = commands.submit("extracts/filter", List.of(filterId, outcome), "filter:" + filterId,
                    () -> new RecordDataUsageCommand(projectId, usageId, dataHolder, dataset, extractAt,
                            outcome.allowed(), outcome.cohortCommitment(), "data-holder:" + dataHolder,
                            "filter:" + filterId));
            certificates.issue(new FilterCertificates.Facts(filterId, projectId, sheet.permitId(), dataHolder, dataset,
                    properties.rule(), extractAt, treeSize, log.root(treeSize), outcome, usageId, usage,
                    clock.instant()), errors.toString());
        } catch (RuntimeException e) {
            // The rows are already sent; without a recorded usage there is no certificate, and the holder sees it.
            LOG.error("filter {} for project {}: delivery not recorded", filterId, projectId, e);
        }
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
