package eu.ehds.rights.portal.registryimport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The admin API of the registry import: the same file as the command line's, as the request's body (streamed, never
 * held whole), answered when the import ends with the signed report (the first refused rows in it, every one
 * counted). Nothing but the report is kept: the file's NIRs are pseudonymised as they are read.
 */
@RestController
@RequestMapping("/api/v1/registry-imports")
@Tag(name = "Registry import (staff)")
class RegistryImportController {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryImport registryImport;

    RegistryImportController(RegistryImport registryImport) {
        this.registryImport = registryImport;
    }

    @PostMapping(consumes = MediaType.ALL_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Import an existing opt-out registry (CSV nir,scope,registered_at,channel,withdrawn_at); "
            + "answers the signed import report")
    String importRegistry(@RequestParam(defaultValue = "registry.csv") String source, HttpServletRequest request,
                          java.security.Principal staff)
            throws IOException {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (type.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE) || type.startsWith("multipart/")) {
            throw new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send the registry itself as the "
                    + "body, with Content-Type text/csv, not as a form (" + type + ")");
        }
        if (!source.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "source names the file: 1 to 100 letters, digits and . _ -");
        }
        // the report is a Jackson 2 tree (as every signed document): written as it was signed
        return JSON.writeValueAsString(registryImport.run(request.getInputStream(), source,
                "admin API (" + staff.getName() + ")", Writer.nullWriter(),
                bytes -> { }));
    }
}
