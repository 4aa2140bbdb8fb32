package eu.ehds.rights.projections.decision;

import eu.ehds.rights.ledger.api.project.PurposeCategory;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What the decision rule needs of each project, with the leaf of each fact for "as of tree size" questions. */
public final class ProjectRegister {

    private record Fact(Instant at, long leaf) {
        Instant asOf(long treeSize) {
            return leaf < treeSize ? at : null;
        }
    }

    private record Entry(String projectId, PurposeCategory purpose, long registeredLeaf, Fact permit, Fact derogation,
                         Fact closure) {
    }

    private final Map<String, Entry> projects = new ConcurrentHashMap<>();

    public void registered(String projectId, PurposeCategory purpose, long leaf) {
        projects.putIfAbsent(projectId, new Entry(projectId, purpose, leaf, null, null, null));
    }

    public void permitApproved(String projectId, Instant at, long leaf) {
        projects.computeIfPresent(projectId, (id, e) -> e.permit() != null ? e
                : new Entry(id, e.purpose(), e.registeredLeaf(), new Fact(at, leaf), e.derogation(), e.closure()));
    }

    public void derogationRecorded(String projectId, Instant at, long leaf) {
        projects.computeIfPresent(projectId, (id, e) -> e.derogation() != null ? e
                : new Entry(id, e.purpose(), e.registeredLeaf(), e.permit(), new Fact(at, leaf), e.closure()));
    }

    public void closed(String projectId, Instant at, long leaf) {
        projects.computeIfPresent(projectId, (id, e) -> e.closure() != null ? e
                : new Entry(id, e.purpose(), e.registeredLeaf(), e.permit(), e.derogation(), new Fact(at, leaf)));
    }

    /** The project as the log stood at {@code treeSize} leaves; empty if it was not registered by then. */
    public Optional<ProjectFacts> facts(String projectId, long treeSize) {
        Entry e = projects.get(projectId);
        if (e == null || e.registeredLeaf() >= treeSize) {
            return Optional.empty();
        }
        return Optional.of(new ProjectFacts(projectId, e.purpose(), asOf(e.permit(), treeSize),
                asOf(e.derogation(), treeSize), asOf(e.closure(), treeSize)));
    }

    private static Instant asOf(Fact fact, long treeSize) {
        return fact == null ? null : fact.asOf(treeSize);
    }
}
