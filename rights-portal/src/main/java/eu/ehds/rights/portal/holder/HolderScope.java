package eu.ehds.rights.portal.holder;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.projections.decision.DecisionProjection;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * What a data holder may ask of the decisions: only for a project whose sheet names it (as deliveries require), and
 * only as of now. History ({@code asOf}, {@code treeSize}) would tell the holder when people opted out or withdrew;
 * staff and auditors keep it. A refusal is a 403, logged with the holder and the project, never the person.
 */
@Component
public class HolderScope {

    private static final Logger LOG = LoggerFactory.getLogger(HolderScope.class);

    private final DecisionProjection readModel;

    HolderScope(DecisionProjection readModel) {
        this.readModel = readModel;
    }

    /** True when the caller is a data holder (and may ask this); staff pass unchecked. */
    boolean check(Authentication caller, String projectId, Instant asOf, Long treeSize) {
        if (!isHolder(caller)) {
            return false;
        }
        requireNamed(caller.getName(), projectId);
        if (asOf != null || treeSize != null) {
            LOG.warn("data holder {} asked a decision in the past for project {}: refused", caller.getName(),
                    loggable(projectId));
            throw new AccessDeniedException("data holders get decisions as of now: asOf and treeSize are for staff "
                    + "and auditors");
        }
        return true;
    }

    /** Refuses a holder that the project's sheet does not name. */
    public void requireNamed(String dataHolder, String projectId) {
        if (projectId == null || projectId.isBlank()) {
            throw new InvalidRequestException("projectId is required");
        }
        boolean named = readModel.sheet(projectId, readModel.treeSize())
                .map(sheet -> sheet.dataHolders().contains(dataHolder)).orElse(false);
        if (!named) {
            LOG.warn("data holder {} asked about project {}, whose sheet does not name it: refused", dataHolder,
                    loggable(projectId));
            throw new AccessDeniedException("data holder '" + dataHolder + "' is not named on the sheet of project '"
                    + projectId + "': ask only about projects you deliver to");
        }
    }

    /** A project id as the log may hold it: the caller chose it, so anything but a project id's shape is not quoted. */
    private static String loggable(String projectId) {
        return projectId.matches("prj-[0-9a-f-]{1,40}") ? projectId : "(not a project id)";
    }

    public static boolean isHolder(Authentication caller) {
        return caller != null && caller.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_DATA_HOLDER"));
    }
}
