package eu.ehds.rights.projections.usage;

import eu.ehds.rights.ledger.api.project.DataUsageRecorded;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.projections.decision.DecisionProjection;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/**
 * Every recorded delivery of data to a project, with the project's public title, for transparency answers. Held in
 * memory and built, like the decision read model and in the same pass over the event store, aside by
 * {@link #builder()} then installed at once.
 */
@ProcessingGroup(UsageProjection.PROCESSING_GROUP)
public class UsageProjection {

    /** Loaded with the decision read model: one processor and one pass over the store feed both. */
    public static final String PROCESSING_GROUP = DecisionProjection.PROCESSING_GROUP;

    /** One delivery, as the register shows it. */
    public record Usage(String usageId, String projectId, String projectTitle, String controller, String dataHolder,
                        String dataset, Instant deliveredAt, long personCount) {
    }

    private record Sheet(String title, String controller) {
    }

    private volatile Map<String, Sheet> projects = new ConcurrentHashMap<>();
    private volatile Map<String, DataUsageRecorded> usages = new ConcurrentHashMap<>();

    /** A register built aside, then installed at once by {@link #install}. */
    public static final class Builder {
        private final UsageProjection register = new UsageProjection();

        private Builder() {
        }

        public void apply(Object event) {
            register.apply(event);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public synchronized void install(Builder built) {
        projects = built.register.projects;
        usages = built.register.usages;
    }

    /** Applies one stored event; the same event twice changes nothing, other events nothing at all. */
    public void apply(Object event) {
        if (event instanceof ProjectRegistered e) {
            projects.putIfAbsent(e.projectId(), new Sheet(e.title(), e.controller()));
        } else if (event instanceof DataUsageRecorded e) {
            usages.putIfAbsent(e.usageId(), e);
        }
    }

    @EventHandler
    void on(ProjectRegistered event) {
        apply(event);
    }

    @EventHandler
    void on(DataUsageRecorded event) {
        apply(event);
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
