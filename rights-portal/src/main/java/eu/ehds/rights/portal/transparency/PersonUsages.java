package eu.ehds.rights.portal.transparency;

import eu.ehds.rights.portal.holder.Cohorts;
import eu.ehds.rights.portal.holder.DecisionProperties;
import eu.ehds.rights.projections.decision.Decision;
import eu.ehds.rights.projections.decision.DecisionProjection;
import eu.ehds.rights.projections.decision.Reason;
import eu.ehds.rights.projections.extract.PseudonymSet;
import eu.ehds.rights.projections.usage.CohortFile;
import eu.ehds.rights.projections.usage.UsageProjection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * "Who used my data": for one person, the recorded usages whose delivered cohort included them, the usages their
 * opt-out kept them out of (had their data been in the extract), and how many usages lodged no cohort (membership
 * unknown). Found from the sorted cohort files, without a row per person and usage.
 *
 * <pre>{@code
 * PersonUsages.Answer answer = personUsages.of(pseudonym);
 * }</pre>
 */
@Service
public class PersonUsages {

    /** A usage the person's opt-out applied to, and why. */
    public record Excluded(UsageProjection.Usage usage, Reason reason) {
    }

    public record Answer(List<UsageProjection.Usage> included, List<Excluded> excludedByOptOut,
                         long usagesWithoutCohortFile) {
    }

    private static final Set<Reason> OPT_OUTS = EnumSet.of(Reason.OPTED_OUT_GLOBAL, Reason.OPTED_OUT_PURPOSE,
            Reason.OPTED_OUT_PROJECT);

    private final UsageProjection register;
    private final Cohorts cohorts;
    private final DecisionProjection decisions;
    private final DecisionProperties properties;

    PersonUsages(UsageProjection register, Cohorts cohorts, DecisionProjection decisions,
                 DecisionProperties properties) {
        this.register = register;
        this.cohorts = cohorts;
        this.decisions = decisions;
        this.properties = properties;
    }

    public Answer of(String pseudonym) {
        long key = PseudonymSet.key(pseudonym);
        long treeSize = decisions.treeSize();
        List<UsageProjection.Usage> included = new ArrayList<>();
        List<Excluded> excluded = new ArrayList<>();
        long unknown = 0;
        for (UsageProjection.Usage usage : register.all()) {
            Path file = cohorts.fileOf(usage.usageId());
            if (!Files.exists(file)) {
                unknown++;
            } else if (CohortFile.contains(file, key)) {
                included.add(usage);
                continue;
            }
            // the rule as it stood at the delivery decides whether the person's opt-out kept them out of it
            Decision decision = decisions.decide(pseudonym, usage.projectId(), usage.deliveredAt(), treeSize,
                    properties.rule());
            if (!decision.allowed() && OPT_OUTS.contains(decision.reason())) {
                excluded.add(new Excluded(usage, decision.reason()));
            }
        }
        return new Answer(List.copyOf(included), List.copyOf(excluded), unknown);
    }
}
