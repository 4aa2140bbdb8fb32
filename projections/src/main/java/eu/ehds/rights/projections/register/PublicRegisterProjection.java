package eu.ehds.rights.projections.register;

import eu.ehds.rights.ledger.api.project.DataUsageRecorded;
import eu.ehds.rights.ledger.api.project.LegalBasis;
import eu.ehds.rights.ledger.api.project.LegalBasisSet;
import eu.ehds.rights.ledger.api.project.PermitApproved;
import eu.ehds.rights.ledger.api.project.ProjectClosed;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.ledger.api.project.PublicInterestDerogationRecorded;
import eu.ehds.rights.ledger.api.project.ResultsPublished;
import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.projections.readmodel.ReadModel;
import java.time.Instant;
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
    /** Each project's legal basis as set at registration or changed since, oldest first (none: opt-out throughout). */
    private volatile Map<String, List<BasisChange>> bases = new ConcurrentHashMap<>();

    /**
     * A legal basis the project was given: {@code OPT_OUT} or {@code CONSENT}, with, for consent, the information
     * notice persons are shown and its SHA-256 (what their consents record).
     */
    public record BasisChange(LegalBasis legalBasis, String consentNotice, String noticeSha256, Instant setAt) {
    }

    public PublicRegisterProjection() {
        super(PublicRegisterProjection::new, ProjectRegistered.class, PermitApproved.class,
                PublicInterestDerogationRecorded.class, ProjectClosed.class, ResultsPublished.class, DataUsageRecorded.class, LegalBasisSet.class);
    }

    @Override
    protected void takeOver(PublicRegisterProjection built) {
        sheets = built.sheets;
        usages = built.usages;
        bases = built.bases;
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
        } else if (event instanceof LegalBasisSet e) {
            BasisChange change = new BasisChange(e.legalBasis(), e.consentNotice(), e.consentNotice() == null ? null
                    : Sha256.hex(e.consentNotice()), e.setAt());
            bases.compute(e.projectId(), (id, list) -> list != null && list.contains(change) ? list
                    : java.util.stream.Stream.concat(list == null ? java.util.stream.Stream.empty() : list.stream(),
                    java.util.stream.Stream.of(change)).toList());
        } else if (event instanceof DataUsageRecorded e) {
            Set<String> counted = usages.computeIfAbsent(e.projectId(), id -> ConcurrentHashMap.newKeySet());
            if (counted.add(e.usageId())) {
                sheets.computeIfPresent(e.projectId(), (id, s) -> s.withDelivery(e.deliveredAt()));
            }
        }
    }

    /** The project's legal basis changes, oldest first; empty when it was always an opt-out project. */
    public List<BasisChange> legalBasisHistory(String projectId) {
        return bases.getOrDefault(projectId, List.of());
    }

    /** The project's current legal basis and, for consent, its notice; empty when it is an opt-out project. */
    public Optional<BasisChange> consentBasis(String projectId) {
        List<BasisChange> history = legalBasisHistory(projectId);
        return history.isEmpty() || history.get(history.size() - 1).legalBasis() != LegalBasis.CONSENT
                ? Optional.empty() : Optional.of(history.get(history.size() - 1));
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
