package eu.ehds.rights.projections.decision;

import eu.ehds.rights.ledger.api.consent.ConsentGiven;
import eu.ehds.rights.ledger.api.consent.ConsentWithdrawn;
import eu.ehds.rights.ledger.api.optout.OptOutRegistered;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.optout.OptOutWithdrawn;
import eu.ehds.rights.ledger.api.project.LegalBasis;
import eu.ehds.rights.ledger.api.project.LegalBasisSet;
import eu.ehds.rights.ledger.api.project.PermitApproved;
import eu.ehds.rights.ledger.api.project.ProjectClosed;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.ledger.api.project.PublicInterestDerogationRecorded;
import eu.ehds.rights.projections.extract.PseudonymSet;
import eu.ehds.rights.projections.readmodel.ReadModel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the read model behind decisions: opt-out timelines and project facts, each change with its leaf index.
 * Applying the same event twice changes nothing. Held in memory: at start, and on demand, a bulk read of the event
 * store builds a fresh model aside ({@link #builder()}, {@link #install}), then the tracking processor carries on
 * from where that read ended. Every event, of any type, moves its tree size on.
 *
 * <pre>{@code
 * Decision d = projection.decide(person, projectId, Instant.now(), projection.treeSize(), RuleMode.EHDS_ART_71_3);
 * }</pre>
 */
public class DecisionProjection extends ReadModel<DecisionProjection> {

    private volatile OptOutTimelines optOuts = new OptOutTimelines();
    private volatile ProjectRegister projects = new ProjectRegister();
    private volatile LeafWatermark watermark = new LeafWatermark();
    /** Consents, packed as opt-outs are (given, withdrawn); their end dates, when they have one, beside. */
    private volatile OptOutTimelines consents = new OptOutTimelines();
    private volatile Map<String, Instant> consentEnds = new ConcurrentHashMap<>();

    public DecisionProjection() {
        super(DecisionProjection::new, OptOutRegistered.class, OptOutWithdrawn.class, ProjectRegistered.class,
                PermitApproved.class, PublicInterestDerogationRecorded.class, ProjectClosed.class, LegalBasisSet.class,
                ConsentGiven.class, ConsentWithdrawn.class);
    }

    @Override
    protected void takeOver(DecisionProjection model) {
        model.optOuts.settle();
        model.consents.settle();
        optOuts = model.optOuts;
        consents = model.consents;
        consentEnds = model.consentEnds;
        projects = model.projects;
        watermark = model.watermark;
    }

    /**
     * Applies one stored event with its leaf index: the opt-out and project events change the model, and every event
     * counts towards the tree size it reflects. The same event twice changes nothing.
     */
    @Override
    public void apply(Object event, long leaf) {
        if (event instanceof OptOutRegistered e) {
            optOuts.registered(e.person(), e.scope(), e.registeredAt(), leaf);
        } else if (event instanceof OptOutWithdrawn e) {
            optOuts.withdrawn(e.person(), e.scope(), e.withdrawnAt(), leaf);
        } else if (event instanceof ConsentGiven e) {
            // a consent given again to the same scope (to a new notice) supersedes the one in force
            consents.withdrawn(e.person(), e.scope(), e.givenAt(), leaf);
            consents.registered(e.person(), e.scope(), e.givenAt(), leaf);
            if (e.validUntil() != null) {
                consentEnds.put(endKey(e.person(), e.scope(), e.givenAt()), e.validUntil());
            }
        } else if (event instanceof ConsentWithdrawn e) {
            consents.withdrawn(e.person(), e.scope(), e.withdrawnAt(), leaf);
        } else if (event instanceof LegalBasisSet e) {
            projects.legalBasisSet(e.projectId(), e.legalBasis(), e.setAt(), leaf);
        } else if (event instanceof ProjectRegistered e) {
            projects.registered(e.projectId(), e.purposeCategory(), e.dataHolders(), e.datasets(), leaf);
        } else if (event instanceof PermitApproved e) {
            projects.permitApproved(e.projectId(), e.permitId(), e.approvedAt(), leaf);
        } else if (event instanceof PublicInterestDerogationRecorded e) {
            projects.derogationRecorded(e.projectId(), e.recordedAt(), leaf);
        } else if (event instanceof ProjectClosed e) {
            projects.closed(e.projectId(), e.closedAt(), leaf);
        } // any other event only moves the tree size on
        watermark.applied(leaf);
    }

    /** Memory held by the packed consent timelines, in bytes. */
    public long consentsFootprintBytes() {
        return consents.baseFootprintBytes();
    }

    /** Memory held by the packed opt-out timelines, in bytes (see {@link OptOutTimelines#baseFootprintBytes}). */
    public long optOutsFootprintBytes() {
        return optOuts.baseFootprintBytes();
    }

    /** The tree size this read model reflects (every leaf before it applied). */
    public long treeSize() {
        return watermark.treeSize();
    }

    /** Decides for one person, as of an instant and a tree size no larger than {@link #treeSize()}. */
    public Decision decide(String person, String projectId, Instant extractAt, long treeSize, RuleMode mode) {
        Optional<ProjectFacts> project = projects.facts(projectId, treeSize);
        List<OptOutPeriod> periods = project.isPresent() ? optOuts.periods(person, treeSize) : List.of();
        return DecisionRule.decide(project.orElse(null), periods, consents(person, treeSize), extractAt, mode);
    }

    /** The person's opt-outs as the log stood at {@code treeSize} leaves. */
    public List<OptOutPeriod> optOuts(String person, long treeSize) {
        return optOuts.periods(person, treeSize);
    }

    /** The person's consents as the log stood at {@code treeSize} leaves. */
    public List<ConsentPeriod> consents(String person, long treeSize) {
        return withEnds(PseudonymSet.key(person), consents.periods(person, treeSize));
    }

    private List<ConsentPeriod> withEnds(long key, List<OptOutPeriod> given) {
        List<ConsentPeriod> out = new java.util.ArrayList<>(given.size());
        for (OptOutPeriod p : given) {
            out.add(new ConsentPeriod(p.scope(), p.registeredAt(), consentEnds.get(endKey(key, p.scope(),
                    p.registeredAt())), p.withdrawnAt()));
        }
        return out;
    }

    private static String endKey(String person, OptOutScope scope, Instant givenAt) {
        return endKey(PseudonymSet.key(person), scope, givenAt);
    }

    private static String endKey(long key, OptOutScope scope, Instant givenAt) {
        return key + "|" + scope + "|" + givenAt.toEpochMilli();
    }

    /** The project's legal basis as the log stood at {@code treeSize}; empty for a project not registered by then. */
    public Optional<LegalBasis> legalBasis(String projectId, long treeSize) {
        return projects.facts(projectId, treeSize).map(ProjectFacts::legalBasis);
    }

    /**
     * Everyone a consent project may include in an extract at {@code extractAt}, as the log stood at
     * {@code treeSize}: one pass over the people who ever consented. Nobody else may be included.
     */
    public PseudonymSet allowed(String projectId, Instant extractAt, long treeSize, RuleMode mode) {
        ProjectFacts project = projects.facts(projectId, treeSize)
                .orElseThrow(() -> new IllegalArgumentException("unknown project " + projectId));
        long[] keys = consents.select((key, given) -> DecisionRule.decide(project, optOuts.periods(key, treeSize),
                withEnds(key, given), extractAt, mode).allowed(), treeSize);
        return PseudonymSet.of(keys);
    }

    /**
     * A decision with what it was decided from: the project's facts, the person's opt-outs covering it and, for a
     * consent project, the consents covering it that were in force.
     */
    public record Grounds(Decision decision, ProjectFacts project, List<OptOutPeriod> covering,
                          List<ConsentPeriod> consenting) {

        /** The consent the decision relied on: the narrowest in force, if any. */
        public Optional<ConsentPeriod> reliedOn() {
            return consenting.stream().max(java.util.Comparator.comparingInt(c -> c.scope().type().ordinal()));
        }
    }

    /**
     * Decides for one person as {@link #decide} does, with the same rule, and says on what grounds; {@code added}
     * are opt-outs the person has not made yet (to show what one would change before it is confirmed).
     */
    public Optional<Grounds> grounds(String person, String projectId, Instant extractAt, long treeSize, RuleMode mode,
                                     OptOutPeriod... added) {
        Optional<ProjectFacts> project = projects.facts(projectId, treeSize);
        if (project.isEmpty()) {
            return Optional.empty();
        }
        List<OptOutPeriod> periods = new java.util.ArrayList<>(optOuts.periods(person, treeSize));
        periods.addAll(List.of(added));
        List<ConsentPeriod> given = consents(person, treeSize);
        Decision decision = DecisionRule.decide(project.get(), periods, given, extractAt, mode);
        List<OptOutPeriod> covering = periods.stream().filter(p -> p.covers(project.get()) && p.inForceAt(extractAt))
                .toList();
        List<ConsentPeriod> consenting = given.stream()
                .filter(c -> c.covers(project.get()) && c.inForceAt(extractAt)).toList();
        return Optional.of(new Grounds(decision, project.get(), covering, consenting));
    }

    /** Whether the project may receive extracts at all at that time (permit in force, not closed). */
    public Decision projectDecision(String projectId, Instant extractAt, long treeSize, RuleMode mode) {
        return DecisionRule.forProject(projects.facts(projectId, treeSize).orElse(null), extractAt, mode);
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
        long[] keys = optOuts.select((key, periods) -> !DecisionRule.decide(project, periods, extractAt, mode)
                .allowed(), treeSize);
        return PseudonymSet.of(keys);
    }
}
