package eu.ehds.rights.portal.admin;

import eu.ehds.rights.portal.security.ApiKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admins issue and revoke the API keys that data holders use for decisions and extract filtering. */
@RestController
@RequestMapping("/api/v1/data-holders")
@Tag(name = "Data holders (staff)")
class DataHolderAdminController {

    record KeyRequest(String label) {
    }

    private final ApiKeys keys;

    DataHolderAdminController(ApiKeys keys) {
        this.keys = keys;
    }

    @PostMapping("/{dataHolder}/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Issue an API key for a data holder; the key is shown only in this answer")
    ApiKeys.IssuedKey issue(@PathVariable String dataHolder, @RequestBody(required = false) KeyRequest request,
                            java.security.Principal staff) {
        return keys.issue(dataHolder, request == null ? null : request.label(), "staff:" + staff.getName());
    }

    @GetMapping("/{dataHolder}/api-keys")
    @Operation(summary = "List a data holder's keys (identifiers and labels only)")
    List<ApiKeys.KeyInfo> list(@PathVariable String dataHolder) {
        return keys.list(dataHolder);
    }

    @DeleteMapping("/{dataHolder}/api-keys/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke a key")
    void revoke(@PathVariable String dataHolder, @PathVariable String keyId) {
        keys.revoke(dataHolder, keyId);
    }
}
