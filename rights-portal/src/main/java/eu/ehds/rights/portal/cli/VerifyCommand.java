package eu.ehds.rights.portal.cli;

import eu.ehds.rights.ledger.store.LogVerifier;
import java.io.PrintStream;
import org.springframework.context.ApplicationContext;

/** {@code java -jar rights-portal.jar verify}: exit 0 when the log verifies, 1 otherwise. */
final class VerifyCommand {

    private final LogVerifier verifier;

    VerifyCommand(ApplicationContext context) {
        this.verifier = context.getBean(LogVerifier.class);
    }

    int run(PrintStream out) {
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
