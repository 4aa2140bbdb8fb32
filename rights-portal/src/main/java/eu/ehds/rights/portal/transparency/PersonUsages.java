package eu.ehds.rights.portal.transparency;

import eu.ehds.rights.portal.holder.Cohorts;
import eu.ehds.rights.portal.holder.DecisionProperties;
import eu.ehds.rights.projections.decision.ConsentPeriod;
import eu.ehds.rights.projections.decision.DecisionProjection;
import eu.ehds.rights.projections.decision.OptOutPeriod;
import eu.ehds.rights.projections.decision.Reason;
import eu.ehds.rights.projections.extract.PseudonymSet;
import eu.ehds.rights.projections.register.ProjectSheet;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import eu.ehds.rights.projections.usage.CohortFile;
import eu.ehds.rights.projections.usage.UsageProjection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * "Who used my data", exactly as it happened to one person: the recorded usages whose delivered cohort holds them
 * ("received your data"), those whose filter left them out ("excluded you": they were in the extract and their opt-out
 * applied), and how many usages lodged no cohort (membership unknown). A usage the person was not in is not theirs
 * and is not listed. Found from the sorted key files of each usage, without a row per person and usage.
 *
 * <p>When a project received the data although an opt-out covers it, the line says why, from the decision rule
 * itself ({@link DecisionProjection#grounds}): the permit came before the opt-out (Art. 71(3)), or a public-interest
 * derogation applies (Art. 71(4)).
 *
 * <pre>{@code
 * PersonUsages.Answer answer = personUsages.of(pseudonym);
 * }</pre>
 */
@Service
public class PersonUsages {

    /**
     * A usage that received the person's data. {@code reason} is the rule's: {@code NO_OPT_OUT}, or, when an opt-out
     * covers the project, {@code OPT_OUT_AFTER_PERMIT} (with the opt-out's and the permit's dates) or
     * {@code DEROGATION} (with its legal ground and justification).
     */
    public record Included(UsageProjection.Usage usage, Reason reason, Instant optOutAt, Instant permitAt,
                           String legalGround, String justification, ConsentPeriod consent) {

        /** Whether an opt-out covered this project and did not apply: the line must say why. */
        public boolean optOutDidNotApply() {
            return reason == Reason.OPT_OUT_AFTER_PERMIT || reason == Reason.DEROGATION;
        }
    }

    /** A usage whose extract held the person and left them out, and the rule's reason. */
    public record Excluded(UsageProjection.Usage usage, Reason reason) {
    }

    public record Answer(List<Included> received, List<Excluded> excludedByOptOut, long usagesWithoutCohortFile) {

        /** The usages that received the person's data. */
        public List<UsageProjection.Usage> included() {
            return received.stream().map(Included::usage).toList();
        }
    }

    private final UsageProjection register;
    private final Cohorts cohorts;
    private final DecisionProjection decisions;
    private final DecisionProperties properties;
    private final PublicRegisterProjection sheets;

    PersonUsages(UsageProjection register, Cohorts cohorts, DecisionProjection decisions,
                 DecisionProperties properties, PublicRegisterProjection sheets) {
        this.register = register;
        this.cohorts = cohorts;
        this.decisions = decisions;
        this.properties = properties;
        this.sheets = sheets;
    }

    public Answer of(String pseudonym) {
        long key = PseudonymSet.key(pseudonym);
        long treeSize = decisions.treeSize();
        List<Included> included = new ArrayList<>();
        List<Excluded> excluded = new ArrayList<>();
        long unknown = 0;
        for (UsageProjection.Usage usage : register.all()) {
            Path cohort = cohorts.fileOf(usage.usageId());
            if (!Files.exists(cohort)) {
                unknown++;
                continue;
            }
            boolean received = CohortFile.contains(cohort, key);
            Path leftOut = cohorts.excludedFileOf(usage.usageId());
            if (!received && !(Files.exists(leftOut) && CohortFile.contains(leftOut, key))) {
                continue; // not in this extract: not the person's, and nothing to decide
            }
            Optional<DecisionProjection.Grounds> grounds = decisions.grounds(pseudonym, usage.projectId(),
                    usage.deliveredAt(), treeSize, properties.rule());
            Reason reason = grounds.map(g -> g.decision().reason()).orElse(Reason.UNKNOWN_PROJECT);
            if (received) {
                included.add(explained(usage, reason, grounds));
            } else {
                excluded.add(new Excluded(usage, reason));
            }
        }
        return new Answer(List.copyOf(included), List.copyOf(excluded), unknown);
    }

    private Included explained(UsageProjection.Usage usage, Reason reason,
                               Optional<DecisionProjection.Grounds> grounds) {
        Optional<ProjectSheet> sheet = sheets.sheet(usage.projectId());
        Instant permitAt = grounds.map(g -> g.project().permitApprovedAt()).orElse(null);
        // the covering opt-out that did not apply: the latest registered before the delivery
        Instant optOutAt = grounds.stream().flatMap(g -> g.covering().stream()).map(OptOutPeriod::registeredAt)
                .max(Comparator.naturalOrder()).orElse(null);
        ProjectSheet.Derogation derogation = sheet.map(ProjectSheet::derogation).orElse(null);
        // a consent project's delivery relied on a consent: the one named is the narrowest in force then
        ConsentPeriod consent = grounds.flatMap(DecisionProjection.Grounds::reliedOn).orElse(null);
        return new Included(usage, reason, optOutAt, permitAt,
                derogation == null ? null : derogation.legalGround(),
                derogation == null ? null : derogation.justification(), consent);
    }
}
