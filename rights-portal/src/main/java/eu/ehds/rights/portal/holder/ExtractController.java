package eu.ehds.rights.portal.holder;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.UUID;
import org.springframework.http.HttpStatus;
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

    private final Deliveries deliveries;
    private final FilterCertificates certificates;

    ExtractController(Deliveries deliveries, FilterCertificates certificates) {
        this.deliveries = deliveries;
        this.certificates = certificates;
    }

    @PostMapping(path = "/filter", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Filter an extract against the opt-outs; the allowed rows stream back")
    void filter(@RequestParam String projectId, @RequestParam String dataset,
                @RequestParam(required = false) String column, Principal holder, HttpServletRequest request,
                HttpServletResponse response) throws IOException {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE) || type.startsWith("multipart/")) {
            // the container reads such a body as form fields, and the extract would look empty
            throw new org.springframework.web.server.ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "send the extract itself as the body, with Content-Type text/plain or text/csv (gzip accepted), "
                            + "not as a form (" + type + ")");
        }
        String dataHolder = holder.getName();
        Deliveries.Opened delivery = deliveries.open(projectId, dataset, dataHolder);
        String filterId = "flt-" + UUID.randomUUID();
        response.setHeader("Filter-Id", filterId);
        response.setContentType(column == null ? "text/plain;charset=UTF-8" : "text/csv;charset=UTF-8");
        HeldBackOutput out = new HeldBackOutput(response.getOutputStream(), 1 << 16);
        try {
            deliveries.filter(delivery, filterId, projectId, dataset, dataHolder, column, request.getInputStream(), out);
            out.release();
        } catch (RuntimeException e) {
            if (!out.released()) {
                response.reset(); // nothing was sent: the refusal gets its own status and body
            }
            throw e;
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
