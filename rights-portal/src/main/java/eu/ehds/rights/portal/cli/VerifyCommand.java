package eu.ehds.rights.portal.cli;

import eu.ehds.rights.ledger.store.LogVerifier;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code java -jar rights-portal.jar verify}: exit 0 when the log verifies, 1 otherwise. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Rebuild every leaf and root from the event store and check every checkpoint; exit 1 on any "
                + "mismatch, naming the first bad leaf.")
final class VerifyCommand implements Callable<Integer> {

    @ParentCommand
    private Cli cli;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LogVerifier verifier = cli.context().getBean(LogVerifier.class);
        long started = System.nanoTime();
        LogVerifier.Report report = verifier.verify();
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("log size: %d leaves; event store: %d events; checkpoints checked: %d; %.2f s%n",
                report.treeSize(), report.eventsInStore(), report.checkpointsChecked(), seconds);
        if (report.ok()) {
            out.println("OK: every leaf matches its stored event and every checkpoint verifies");
            return 0;
        }
        out.println("FAILED" + (report.firstBadLeaf() >= 0 ? ": first bad leaf is " + report.firstBadLeaf() : ""));
        report.problems().forEach(p -> out.println("  - " + p));
        return 1;
    }
}
