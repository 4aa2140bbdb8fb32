package eu.ehds.rights.bench;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.optout.OptOutRegistered;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.optout.OptOutWithdrawn;
import eu.ehds.rights.ledger.api.project.PermitApproved;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.projections.decision.DecisionProjection;
import eu.ehds.rights.projections.decision.RuleMode;
import eu.ehds.rights.projections.readmodel.ReadModel;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code decisions}: point decisions in process against the decision read model, filled with
 * {@code --opt-outs} (4 M) opt-outs of mixed scopes; reports build time, heap used and decisions per second for
 * a population where most persons did not opt out.
 */
@Command(name = "decisions", mixinStandardHelpOptions = true, description = "Point decisions in process, against a national-scale opt-out set.")
final class DecisionBenchmark implements Callable<Integer> {

    @Option(names = "--opt-outs", defaultValue = "4000000", description = "default: ${DEFAULT-VALUE}")
    private int optOuts;

    @Option(names = "--population", defaultValue = "67000000", description = "default: ${DEFAULT-VALUE}")
    private long population;

    @Option(names = "--withdrawn-percent", defaultValue = "0", description = "default: ${DEFAULT-VALUE}")
    private int withdrawnPercent;

    @Spec
    private CommandSpec spec;


    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        DecisionProjection model = new DecisionProjection();
        ReadModel.Builder<DecisionProjection> builder = model.builder();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        builder.apply(new ProjectRegistered("prj-bench", "t", "c", PurposeCategory.SCIENTIFIC_RESEARCH,
                List.of("CNAM"), List.of("DCIR"), LocalDate.EPOCH, LocalDate.EPOCH, "bench", t0), 0L);
        builder.apply(new PermitApproved("prj-bench", "P", t0.plusSeconds(86_400 * 200), "bench"), 1L);

        System.gc();
        long heapBefore = usedHeap();
        long started = System.nanoTime();
        long leaf = 2;
        int opted = 0;
        for (long person = 0; person < population && opted < optOuts; person++) {
            if (!SyntheticPopulation.isOptedOut(person, population, optOuts)) {
                continue;
            }
            OptOutScope scope = switch ((int) (leaf % 4)) {
                case 0 -> OptOutScope.purpose(PurposeCategory.SCIENTIFIC_RESEARCH);
                case 1 -> OptOutScope.project("prj-other");
                default -> OptOutScope.global();
            };
            opted++;
            String pseudonym = SyntheticPopulation.pseudonym(person);
            Instant at = t0.plusMillis(leaf * 7); // leaves follow time, as the log appends in commit order
            builder.apply(new OptOutRegistered(pseudonym, scope, Channel.PORTAL, "bench", at), leaf++);
            if (Math.floorMod(SyntheticPopulation.mix(person), 100) < withdrawnPercent) {
                builder.apply(new OptOutWithdrawn(pseudonym, scope, Channel.PORTAL, "bench", at.plusSeconds(60)), leaf++);
            }
        }
        model.install(builder); // as at start-up: the model built aside, settled, then installed
        double build = (System.nanoTime() - started) / 1e9;
        System.gc();
        out.printf("read model: %,d persons opted out, %,d opt-out events (%d%% of persons withdrew) applied in %.1f s; "
                + "packed base %.1f MB; heap held: %.1f MB (%.1f MiB)%n", opted, leaf - 2, withdrawnPercent, build, model.optOutsFootprintBytes() / 1e6,
                (usedHeap() - heapBefore) / 1e6, (usedHeap() - heapBefore) / 1048576.0);

        Instant extractAt = t0.plusSeconds(86_400 * 300);
        long treeSize = model.treeSize();
        String[] persons = new String[1 << 16];
        for (int i = 0; i < persons.length; i++) {
            persons[i] = SyntheticPopulation.pseudonym(Long.remainderUnsigned(SyntheticPopulation.mix(i * 31L + 7), population));
        }
        long excluded = 0;
        for (int i = 0; i < 2_000_000; i++) { // warm-up
            excluded += model.decide(persons[i & 0xffff], "prj-bench", extractAt, treeSize, RuleMode.EHDS_ART_71_3)
                    .allowed() ? 0 : 1;
        }
        int n = 10_000_000;
        started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            excluded += model.decide(persons[i & 0xffff], "prj-bench", extractAt, treeSize, RuleMode.EHDS_ART_71_3)
                    .allowed() ? 0 : 1;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("point decisions in process, one thread: %.2f M/s (%d excluded of %d)%n", n / seconds / 1e6,
                excluded, n + 2_000_000);
        return 0;
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
