package eu.ehds.rights.projections.register;

import eu.ehds.rights.ledger.api.project.DataUsageRecorded;
import eu.ehds.rights.ledger.api.project.PermitApproved;
import eu.ehds.rights.ledger.api.project.ProjectClosed;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.ledger.api.project.PublicInterestDerogationRecorded;
import eu.ehds.rights.ledger.api.project.ResultsPublished;
import eu.ehds.rights.projections.readmodel.ReadModel;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The public project register: one sheet per project, kept from the project events. Held in memory, built aside
 * with the other in-memory read models in one pass over the event store, then installed at once.
 *
 * <pre>{@code
 * List<ProjectSheet> found = register.search(new RegisterQuery("diabetes", null, Status.PERMITTED, null));
 * }</pre>
 */
public class PublicRegisterProjection extends ReadModel<PublicRegisterProjection> {

    private volatile Map<String, ProjectSheet> sheets = new ConcurrentHashMap<>();
    /** Usages counted per project, so that the same delivery twice counts once. */
    private volatile Map<String, Set<String>> usages = new ConcurrentHashMap<>();

    public PublicRegisterProjection() {
        super(PublicRegisterProjection::new, ProjectRegistered.class, PermitApproved.class,
                PublicInterestDerogationRecorded.class, ProjectClosed.class, ResultsPublished.class, DataUsageRecorded.class);
    }

    @Override
    protected void takeOver(PublicRegisterProjection built) {
        sheets = built.sheets;
        usages = built.usages;
    }

    /** Applies one stored event; the same event twice changes nothing. Only the first permit, derogation and closure count. */
    @Override
    public void apply(Object event, long leafIndex) {
        if (event instanceof ProjectRegistered e) {
            sheets.putIfAbsent(e.projectId(), new ProjectSheet(e.projectId(), e.title(), e.controller(),
                    e.purposeCategory(), List.copyOf(e.dataHolders()), List.copyOf(e.datasets()), e.plannedStart(),
                    e.plannedEnd(), e.registeredAt(), null, null, null, null, 0, null,
                    new ProjectSheet.Texts(e.titleEn(), e.summaryFr(), e.summaryEn())));
        } else if (event instanceof PermitApproved e) {
            sheets.computeIfPresent(e.projectId(), (id, s) -> s.permit() != null ? s
                    : s.withPermit(new ProjectSheet.Permit(e.permitId(), e.approvedAt())));
        } else if (event instanceof PublicInterestDerogationRecorded e) {
            sheets.computeIfPresent(e.projectId(), (id, s) -> s.derogation() != null ? s
                    : s.withDerogation(new ProjectSheet.Derogation(e.legalGround(), e.justification(), e.recordedAt())));
        } else if (event instanceof ProjectClosed e) {
            sheets.computeIfPresent(e.projectId(), (id, s) -> s.closedAt() != null ? s : s.withClosure(e.closedAt()));
        } else if (event instanceof ResultsPublished e) {
            sheets.computeIfPresent(e.projectId(), (id, s) -> s.results() != null
                    && !e.publishedAt().isAfter(s.results().publishedAt()) ? s
                    : s.withResults(new ProjectSheet.Results(e.summary(), e.resultsUrl(), e.publishedAt())));
        } else if (event instanceof DataUsageRecorded e) {
            Set<String> counted = usages.computeIfAbsent(e.projectId(), id -> ConcurrentHashMap.newKeySet());
            if (counted.add(e.usageId())) {
                sheets.computeIfPresent(e.projectId(), (id, s) -> s.withDelivery(e.deliveredAt()));
            }
        }
    }

    public Optional<ProjectSheet> sheet(String projectId) {
        return projectId == null ? Optional.empty() : Optional.ofNullable(sheets.get(projectId));
    }

    /** The sheets matching the query, most recently registered first. */
    public List<ProjectSheet> search(RegisterQuery query) {
        return sheets.values().stream().filter(query::matches)
                .sorted(Comparator.comparing(ProjectSheet::registeredAt).reversed()
                        .thenComparing(ProjectSheet::projectId))
                .toList();
    }

    /** Every data holder named on a sheet, for search filters. */
    public Set<String> dataHolders() {
        Set<String> holders = new TreeSet<>();
        sheets.values().forEach(s -> holders.addAll(s.dataHolders()));
        return holders;
    }
}
