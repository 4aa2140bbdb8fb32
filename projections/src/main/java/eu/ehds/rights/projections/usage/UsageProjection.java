package eu.ehds.rights.projections.usage;

import eu.ehds.rights.ledger.api.project.DataUsageRecorded;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;

/** Every recorded delivery of data to a project, with the project's public title, for transparency answers. */
@ProcessingGroup(UsageProjection.PROCESSING_GROUP)
public class UsageProjection {

    public static final String PROCESSING_GROUP = "usage-register";

    /** One delivery, as the register shows it. */
    public record Usage(String usageId, String projectId, String projectTitle, String controller, String dataHolder,
                        String dataset, Instant deliveredAt, long personCount) {
    }

    private record Sheet(String title, String controller) {
    }

    private final Map<String, Sheet> projects = new ConcurrentHashMap<>();
    private final Map<String, DataUsageRecorded> usages = new ConcurrentHashMap<>();

    @EventHandler
    void on(ProjectRegistered event) {
        projects.putIfAbsent(event.projectId(), new Sheet(event.title(), event.controller()));
    }

    @EventHandler
    void on(DataUsageRecorded event) {
        usages.putIfAbsent(event.usageId(), event);
    }

    @ResetHandler
    void reset() {
        projects.clear();
        usages.clear();
    }

    /** Every usage, most recent first. */
    public List<Usage> all() {
        return usages.values().stream()
                .map(u -> {
                    Sheet sheet = projects.getOrDefault(u.projectId(), new Sheet(null, null));
                    return new Usage(u.usageId(), u.projectId(), sheet.title(), sheet.controller(), u.dataHolder(),
                            u.dataset(), u.deliveredAt(), u.personCount());
                })
                .sorted(Comparator.comparing(Usage::deliveredAt).reversed())
                .toList();
    }
}
