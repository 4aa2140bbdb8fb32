package eu.ehds.rights.portal.holder;

import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.projections.extract.ExtractFilter;
import eu.ehds.rights.projections.extract.FilterOutcome;
import eu.ehds.rights.projections.usage.CohortFile;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.Principal;
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

    private final Pseudonymiser pseudonymiser;
    private final DecisionProperties properties;
    private final Deliveries deliveries;
    private final FilterCertificates certificates;
    private final Cohorts cohorts;

    ExtractController(Pseudonymiser pseudonymiser, DecisionProperties properties, Deliveries deliveries,
                      FilterCertificates certificates, Cohorts cohorts) {
        this.pseudonymiser = pseudonymiser;
        this.properties = properties;
        this.deliveries = deliveries;
        this.certificates = certificates;
        this.cohorts = cohorts;
    }

    @PostMapping(path = "/filter", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Filter an extract against the opt-outs; the allowed rows stream back")
    void filter(@RequestParam String projectId, @RequestParam String dataset,
                @RequestParam(required = false) String column, Principal holder, HttpServletRequest request,
                HttpServletResponse response) throws IOException {
        String dataHolder = holder.getName();
        Deliveries.Opened delivery = deliveries.open(projectId, dataset, dataHolder);
        String filterId = "flt-" + UUID.randomUUID();
        StringBuilder errors = new StringBuilder("line,error\n");
        long[] reported = {0};

        response.setHeader("Filter-Id", filterId);
        response.setContentType(column == null ? "text/plain;charset=UTF-8" : "text/csv;charset=UTF-8");
        OutputStream out = response.getOutputStream();
        FilterOutcome outcome;
        CohortFile.Written cohortFile;
        Path cohort = cohorts.fileOf(Deliveries.usageIdOf(filterId));
        try (CohortFile.Writer delivered = CohortFile.writer(cohorts.workDir())) {
            outcome = new ExtractFilter(delivery.excluded(), pseudonymiser).filter(request.getInputStream(), out,
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
            deliveries.recordAndCertify(filterId, projectId, delivery.sheet().permitId(), dataHolder, dataset,
                    properties.rule(), delivery.extractAt(), delivery.treeSize(), outcome, cohortFile.sha256(), errors.toString());
        } catch (RuntimeException e) {
            // The rows are already sent; without a recorded usage there is no certificate, and the holder sees it.
            LOG.error("filter {} for project {}: delivery not recorded", filterId, projectId, e);
            java.nio.file.Files.deleteIfExists(cohort);
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
