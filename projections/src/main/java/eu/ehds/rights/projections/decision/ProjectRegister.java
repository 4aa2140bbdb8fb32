package eu.ehds.rights.projections.decision;

import eu.ehds.rights.ledger.api.project.LegalBasis;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What the decision rule needs of each project, with the leaf of each fact for "as of tree size" questions. */
public final class ProjectRegister {

    /** Instants are kept to the millisecond, like opt-outs in {@link OptOutTimelines}. */
    private record Fact(Instant at, long leaf) {
        Fact {
            at = at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        }

        Instant asOf(long treeSize) {
            return leaf < treeSize ? at : null;
        }
    }

    private record Entry(String projectId, PurposeCategory purpose, long registeredLeaf, Fact permit, Fact derogation,
                         Fact closure, String permitId, List<String> dataHolders, List<String> datasets) {
    }

    /** A legal basis set at a leaf; the latest one before a tree size applies as of that size. */
    private record Basis(LegalBasis basis, Instant setAt, long leaf) {
    }

    /** The parts of a project's public sheet that extract filtering checks. */
    public record Sheet(String projectId, String permitId, List<String> dataHolders, List<String> datasets) {
    }

    private final Map<String, Entry> projects = new ConcurrentHashMap<>();
    private final Map<String, List<Basis>> bases = new ConcurrentHashMap<>();

    public void legalBasisSet(String projectId, LegalBasis basis, Instant setAt, long leaf) {
        bases.compute(projectId, (id, list) -> {
            List<Basis> next = list == null ? new java.util.ArrayList<>() : new java.util.ArrayList<>(list);
            if (next.stream().noneMatch(b -> b.leaf() == leaf)) {
                next.add(new Basis(basis, setAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), leaf));
                next.sort(java.util.Comparator.comparingLong(Basis::leaf));
            }
            return List.copyOf(next);
        });
    }

    private Basis basisAsOf(String projectId, long treeSize) {
        Basis basis = new Basis(LegalBasis.OPT_OUT, null, -1);
        for (Basis b : bases.getOrDefault(projectId, List.of())) {
            if (b.leaf() < treeSize) {
                basis = b;
            }
        }
        return basis;
    }

    public void registered(String projectId, PurposeCategory purpose, List<String> dataHolders, List<String> datasets,
                           long leaf) {
        projects.putIfAbsent(projectId, new Entry(projectId, purpose, leaf, null, null, null, null,
                List.copyOf(dataHolders), List.copyOf(datasets)));
    }

    public void permitApproved(String projectId, String permitId, Instant at, long leaf) {
        projects.computeIfPresent(projectId, (id, e) -> e.permit() != null ? e
                : new Entry(id, e.purpose(), e.registeredLeaf(), new Fact(at, leaf), e.derogation(), e.closure(),
                        permitId, e.dataHolders(), e.datasets()));
    }

    public void derogationRecorded(String projectId, Instant at, long leaf) {
        projects.computeIfPresent(projectId, (id, e) -> e.derogation() != null ? e
                : new Entry(id, e.purpose(), e.registeredLeaf(), e.permit(), new Fact(at, leaf), e.closure(),
                        e.permitId(), e.dataHolders(), e.datasets()));
    }

    public void closed(String projectId, Instant at, long leaf) {
        projects.computeIfPresent(projectId, (id, e) -> e.closure() != null ? e
                : new Entry(id, e.purpose(), e.registeredLeaf(), e.permit(), e.derogation(), new Fact(at, leaf),
                        e.permitId(), e.dataHolders(), e.datasets()));
    }

    /** The project's sheet as the log stood at {@code treeSize} leaves (permit id null if not yet approved). */
    public Optional<Sheet> sheet(String projectId, long treeSize) {
        Entry e = projects.get(projectId);
        if (e == null || e.registeredLeaf() >= treeSize) {
            return Optional.empty();
        }
        String permitId = e.permit() != null && e.permit().leaf() < treeSize ? e.permitId() : null;
        return Optional.of(new Sheet(projectId, permitId, e.dataHolders(), e.datasets()));
    }

    /** The project as the log stood at {@code treeSize} leaves; empty if it was not registered by then. */
    public Optional<ProjectFacts> facts(String projectId, long treeSize) {
        Entry e = projects.get(projectId);
        if (e == null || e.registeredLeaf() >= treeSize) {
            return Optional.empty();
        }
        Basis basis = basisAsOf(projectId, treeSize);
        return Optional.of(new ProjectFacts(projectId, e.purpose(), asOf(e.permit(), treeSize),
                asOf(e.derogation(), treeSize), asOf(e.closure(), treeSize), basis.basis(), basis.setAt()));
    }

    private static Instant asOf(Fact fact, long treeSize) {
        return fact == null ? null : fact.asOf(treeSize);
    }
}
