package eu.ehds.rights.portal.holder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.portal.security.ApiKeys;
import eu.ehds.rights.portal.security.PortalAccounts;
import eu.ehds.rights.portal.web.PortalPage;
import eu.ehds.rights.portal.web.Refusals;
import eu.ehds.rights.projections.register.ProjectSheet;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import eu.ehds.rights.projections.register.RegisterQuery;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The data holders' pages: upload an extract to filter (written to disk as it arrives, filtered as a stream), then
 * download the allowed rows, the signed certificate and the error report; past deliveries; API keys. A holder sees
 * and touches only its own deliveries and keys.
 */
@Controller
@PortalPage
@RequestMapping("/holder")
class HolderPagesController {

    private final Deliveries deliveries;
    private final FilterCertificates certificates;
    private final PublicRegisterProjection register;
    private final ApiKeys apiKeys;
    private final DeliveredFiles delivered;
    private final Refusals refusals;
    private final ObjectMapper json = new ObjectMapper();

    HolderPagesController(Deliveries deliveries, FilterCertificates certificates, PublicRegisterProjection register,
                          ApiKeys apiKeys, DeliveredFiles delivered, Refusals refusals) {
        this.refusals = refusals;
        this.deliveries = deliveries;
        this.certificates = certificates;
        this.register = register;
        this.apiKeys = apiKeys;
        this.delivered = delivered;
    }

    /** A past delivery as the list shows it. */
    record DeliveryRow(String filterId, String projectId, String projectTitle, Instant createdAt, JsonNode certificate) {
    }

    /** What the upload form holds, kept when an upload is refused so that nothing has to be chosen again. */
    record UploadForm(String projectId, String dataset, String column) {
    }

    @GetMapping
    String home(@AuthenticationPrincipal PortalAccounts.HolderUser holder, Model model) {
        model.addAttribute("holder", holder.dataHolder());
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new UploadForm(null, null, null));
            model.addAttribute("fieldErrors", java.util.Map.of());
        }
        model.addAttribute("projects", register.search(new RegisterQuery(null, null, ProjectSheet.Status.PERMITTED,
                holder.dataHolder())));
        model.addAttribute("deliveries", certificates.deliveries(holder.dataHolder(), 100).stream()
                .map(d -> new DeliveryRow(d.filterId(), d.projectId(),
                        register.sheet(d.projectId()).map(ProjectSheet::title).orElse(d.projectId()), d.createdAt(),
                        parse(d.certificate())))
                .toList());
        return "holder/home";
    }

    @PostMapping("/extracts")
    String upload(@AuthenticationPrincipal PortalAccounts.HolderUser holder, @RequestParam String projectId,
                  @RequestParam String dataset, @RequestParam(required = false) String column,
                  @RequestParam("file") MultipartFile file, RedirectAttributes redirect, Model model,
                  HttpServletResponse response, Locale locale) throws IOException {
        String csvColumn = column == null || column.isBlank() ? null : column.strip();
        String field = "projectId";
        try {
            if (file.isEmpty()) {
                field = "file";
                throw new InvalidRequestException("extract.no-file", "choose a file to filter");
            }
            field = "dataset";
            Deliveries.Opened delivery = deliveries.open(projectId, dataset, holder.dataHolder());
            field = csvColumn == null ? "file" : "column";
            return filter(holder, projectId, dataset, csvColumn, file, delivery, redirect);
        } catch (InvalidRequestException | ConflictException | NotFoundException
                 | org.springframework.security.access.AccessDeniedException refusal) {
            // back to the form as it was filled, the refusal next to the field it is about
            response.setStatus(refusal instanceof ConflictException ? 409 : 400);
            model.addAttribute("form", new UploadForm(projectId, dataset, column));
            model.addAttribute("fieldErrors", java.util.Map.of(
                    refusal instanceof InvalidRequestException ? field : "projectId", refusals.text(refusal, locale)));
            return home(holder, model);
        }
    }

    private String filter(PortalAccounts.HolderUser holder, String projectId, String dataset, String csvColumn,
                          MultipartFile file, Deliveries.Opened delivery, RedirectAttributes redirect)
            throws IOException {
        String filterId = "flt-" + UUID.randomUUID();
        Path output = delivered.target(filterId, csvColumn != null);
        Path partial = delivered.partial(filterId);
        Deliveries.Filtered filtered;
        try (InputStream in = file.getInputStream(); OutputStream out = Files.newOutputStream(partial)) {
            filtered = deliveries.filter(delivery, filterId, projectId, dataset, holder.dataHolder(), csvColumn, in,
                    out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        if (filtered.certificate() == null) { // an uncertified extract must not be delivered
            Files.deleteIfExists(partial);
            throw new ConflictException("the extract was filtered but its delivery could not be recorded in the "
                    + "ledger, so it must not be delivered; send it again");
        }
        Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE);
        redirect.addAttribute("id", filterId);
        return "redirect:/holder/deliveries/{id}";
    }

    @GetMapping("/deliveries/{filterId}")
    String delivery(@AuthenticationPrincipal PortalAccounts.HolderUser holder, @PathVariable String filterId,
                    Model model) {
        JsonNode certificate = parse(certificates.certificate(filterId, holder.dataHolder()));
        model.addAttribute("filterId", filterId);
        model.addAttribute("certificate", certificate);
        model.addAttribute("project", register.sheet(certificate.path("projectId").asText()).orElse(null));
        model.addAttribute("outputAvailable", delivered.find(filterId).isPresent());
        return "holder/delivery";
    }

    @GetMapping("/deliveries/{filterId}/output")
    ResponseEntity<Resource> output(@AuthenticationPrincipal PortalAccounts.HolderUser holder,
                                    @PathVariable String filterId) {
        certificates.certificate(filterId, holder.dataHolder()); // only the holder's own
        Path file = delivered.find(filterId).orElseThrow(() -> new NotFoundException("this file is no longer kept"));
        return attachment(new FileSystemResource(file), "allowed-" + file.getFileName(),
                file.toString().endsWith(".csv") ? "text/csv" : "text/plain");
    }

    @GetMapping("/deliveries/{filterId}/certificate")
    ResponseEntity<String> certificate(@AuthenticationPrincipal PortalAccounts.HolderUser holder,
                                       @PathVariable String filterId) {
        return attachment(certificates.certificate(filterId, holder.dataHolder()), filterId + ".certificate.json",
                MediaType.APPLICATION_JSON_VALUE);
    }

    @GetMapping("/deliveries/{filterId}/errors")
    ResponseEntity<String> errors(@AuthenticationPrincipal PortalAccounts.HolderUser holder,
                                  @PathVariable String filterId) {
        return attachment(certificates.errorReport(filterId, holder.dataHolder()), filterId + ".errors.csv",
                "text/csv");
    }

    @GetMapping("/api-keys")
    String keys(@AuthenticationPrincipal PortalAccounts.HolderUser holder, Model model) {
        model.addAttribute("holder", holder.dataHolder());
        model.addAttribute("keys", apiKeys.list(holder.dataHolder()));
        return "holder/api-keys";
    }

    @PostMapping("/api-keys")
    String issueKey(@AuthenticationPrincipal PortalAccounts.HolderUser holder,
                    @RequestParam(required = false) String label, Model model) {
        model.addAttribute("issued", apiKeys.issue(holder.dataHolder(), label, holder.getUsername()));
        return keys(holder, model);
    }

    @PostMapping("/api-keys/{keyId}/revocation")
    String revokeKey(@AuthenticationPrincipal PortalAccounts.HolderUser holder, @PathVariable String keyId) {
        apiKeys.revoke(holder.dataHolder(), keyId);
        return "redirect:/holder/api-keys";
    }

    private JsonNode parse(String certificate) {
        try {
            return json.readTree(certificate);
        } catch (IOException e) {
            throw new IllegalStateException("a stored certificate is not JSON", e);
        }
    }

    private static <T> ResponseEntity<T> attachment(T body, String filename, String type) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(type))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build()
                        .toString())
                .body(body);
    }

}
