package eu.ehds.rights.projections.decision;

import eu.ehds.rights.ledger.api.optout.OptOutRegistered;
import eu.ehds.rights.ledger.api.optout.OptOutWithdrawn;
import eu.ehds.rights.ledger.api.project.PermitApproved;
import eu.ehds.rights.ledger.api.project.ProjectClosed;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.ledger.api.project.PublicInterestDerogationRecorded;
import eu.ehds.rights.ledger.store.LogAppendingStorageEngine;
import eu.ehds.rights.projections.extract.PseudonymSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.annotation.MetaDataValue;

/**
 * Keeps the read model behind decisions: opt-out timelines and project facts, each change with its leaf index.
 * Applying the same event twice changes nothing. Held in memory and rebuilt from the event store at start.
 *
 * <pre>{@code
 * Decision d = projection.decide(person, projectId, Instant.now(), projection.treeSize(), RuleMode.EHDS_ART_71_3);
 * }</pre>
 */
@ProcessingGroup(DecisionProjection.PROCESSING_GROUP)
public class DecisionProjection {

    public static final String PROCESSING_GROUP = "decision-read-model";

    private volatile OptOutTimelines optOuts = new OptOutTimelines();
    private volatile ProjectRegister projects = new ProjectRegister();
    private volatile LeafWatermark watermark = new LeafWatermark();

    /** Before a replay from the start of the log: forget everything (the replay rebuilds it). */
    @ResetHandler
    void reset() {
        optOuts = new OptOutTimelines();
        projects = new ProjectRegister();
        watermark = new LeafWatermark();
    }

    @EventHandler
    void on(OptOutRegistered event, @MetaDataValue(LogAppendingStorageEngine.LEAF_INDEX) Number leaf) {
        optOuts.registered(event.person(), event.scope(), event.registeredAt(), leaf.longValue());
        watermark.applied(leaf.longValue());
    }

    @EventHandler
    void on(OptOutWithdrawn event, @MetaDataValue(LogAppendingStorageEngine.LEAF_INDEX) Number leaf) {
        optOuts.withdrawn(event.person(), event.scope(), event.withdrawnAt(), leaf.longValue());
        watermark.applied(leaf.longValue());
    }

    @EventHandler
    void on(ProjectRegistered event, @MetaDataValue(LogAppendingStorageEngine.LEAF_INDEX) Number leaf) {
        projects.registered(event.projectId(), event.purposeCategory(), event.dataHolders(), event.datasets(),
                leaf.longValue());
        watermark.applied(leaf.longValue());
    }

    @EventHandler
    void on(PermitApproved event, @MetaDataValue(LogAppendingStorageEngine.LEAF_INDEX) Number leaf) {
        projects.permitApproved(event.projectId(), event.permitId(), event.approvedAt(), leaf.longValue());
        watermark.applied(leaf.longValue());
    }

    @EventHandler
    void on(PublicInterestDerogationRecorded event, @MetaDataValue(LogAppendingStorageEngine.LEAF_INDEX) Number leaf) {
        projects.derogationRecorded(event.projectId(), event.recordedAt(), leaf.longValue());
        watermark.applied(leaf.longValue());
    }

    @EventHandler
    void on(ProjectClosed event, @MetaDataValue(LogAppendingStorageEngine.LEAF_INDEX) Number leaf) {
        projects.closed(event.projectId(), event.closedAt(), leaf.longValue());
        watermark.applied(leaf.longValue());
    }

    /** Any other event still counts towards the tree size this read model reflects. */
    @EventHandler
    void on(Object other, @MetaDataValue(LogAppendingStorageEngine.LEAF_INDEX) Number leaf) {
        watermark.applied(leaf.longValue());
    }

    /** The tree size this read model reflects (every leaf before it applied). */
    public long treeSize() {
        return watermark.treeSize();
    }

    /** Decides for one person, as of an instant and a tree size no larger than {@link #treeSize()}. */
    public Decision decide(String person, String projectId, Instant extractAt, long treeSize, RuleMode mode) {
        Optional<ProjectFacts> project = projects.facts(projectId, treeSize);
        List<OptOutPeriod> periods = project.isPresent() ? optOuts.periods(person, treeSize) : List.of();
        return DecisionRule.decide(project.orElse(null), periods, extractAt, mode);
    }

    /** Whether the project may receive extracts at all at that time (permit in force, not closed). */
    public Decision projectDecision(String projectId, Instant extractAt, long treeSize, RuleMode mode) {
        return DecisionRule.decide(projects.facts(projectId, treeSize).orElse(null), List.of(), extractAt, mode);
    }

    public boolean knowsProject(String projectId, long treeSize) {
        return projects.facts(projectId, treeSize).isPresent();
    }

    public Optional<ProjectRegister.Sheet> sheet(String projectId, long treeSize) {
        return projects.sheet(projectId, treeSize);
    }

    /**
     * Everyone with an opt-out that excludes them from an extract of this project at {@code extractAt}, as the log
     * stood at {@code treeSize}: one pass over the people who ever opted out.
     */
    public PseudonymSet excluded(String projectId, Instant extractAt, long treeSize, RuleMode mode) {
        ProjectFacts project = projects.facts(projectId, treeSize)
                .orElseThrow(() -> new IllegalArgumentException("unknown project " + projectId));
        long[] keys = optOuts.select(periods -> !DecisionRule.decide(project, periods, extractAt, mode).allowed(),
                treeSize);
        return PseudonymSet.of(keys);
    }
}
