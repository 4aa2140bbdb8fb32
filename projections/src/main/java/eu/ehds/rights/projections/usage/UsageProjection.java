package eu.ehds.rights.projections.usage;

import eu.ehds.rights.ledger.api.project.DataUsageRecorded;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.projections.readmodel.ReadModel;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every recorded delivery of data to a project, with the project's public title, for transparency answers. Held in
 * memory and built, like the decision read model and in the same pass over the event store, aside by
 * {@link #builder()} then installed at once.
 */
public class UsageProjection extends ReadModel<UsageProjection> {

    /** One delivery, as the register shows it. */
    public record Usage(String usageId, String projectId, String projectTitle, String controller, String dataHolder,
                        String dataset, Instant deliveredAt, long personCount) {
    }

    private record Sheet(String title, String controller) {
    }

    private volatile Map<String, Sheet> projects = new ConcurrentHashMap<>();
    private volatile Map<String, DataUsageRecorded> usages = new ConcurrentHashMap<>();

    public UsageProjection() {
        super(UsageProjection::new, ProjectRegistered.class, DataUsageRecorded.class);
    }

    @Override
    protected void takeOver(UsageProjection built) {
        projects = built.projects;
        usages = built.usages;
    }

    /** Applies one stored event; the same event twice changes nothing, other events nothing at all. */
    @Override
    public void apply(Object event, long leafIndex) {
        if (event instanceof ProjectRegistered e) {
            projects.putIfAbsent(e.projectId(), new Sheet(e.title(), e.controller()));
        } else if (event instanceof DataUsageRecorded e) {
            usages.putIfAbsent(e.usageId(), e);
        }
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
