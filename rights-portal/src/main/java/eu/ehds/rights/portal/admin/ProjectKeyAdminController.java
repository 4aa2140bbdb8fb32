package eu.ehds.rights.portal.admin;

import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.project.ProjectDirectory;
import eu.ehds.rights.portal.security.ApiKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admins issue and revoke the keys with which a project's data user reports significant findings. */
@RestController
@RequestMapping("/api/v1/projects/{projectId}/api-keys")
@Tag(name = "Projects (staff)")
class ProjectKeyAdminController {

    record KeyRequest(String label) {
    }

    private final ApiKeys keys;
    private final ProjectDirectory projects;

    ProjectKeyAdminController(ApiKeys keys, ProjectDirectory projects) {
        this.keys = keys;
        this.projects = projects;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Issue a project's data user key (rpk_…); the key is shown only in this answer")
    ApiKeys.IssuedProjectKey issue(@PathVariable String projectId,
                                   @RequestBody(required = false) KeyRequest request) {
        if (!projects.exists(projectId)) {
            throw new NotFoundException("no project '" + projectId + "' in the register");
        }
        return keys.issueForProject(projectId, request == null ? null : request.label());
    }

    @DeleteMapping("/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke a project's data user key")
    void revoke(@PathVariable String projectId, @PathVariable String keyId) {
        keys.revokeForProject(projectId, keyId);
    }
}
