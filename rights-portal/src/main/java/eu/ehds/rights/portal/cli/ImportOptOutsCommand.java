package eu.ehds.rights.portal.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ehds.rights.portal.registryimport.RegistryImport;
import eu.ehds.rights.portal.registryimport.RegistryRowException;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code import-opt-outs --file F}: moves an existing opt-out registry (CSV) into the ledger on the configured
 * database, with a progress bar; writes the refused rows (line and reason) and the signed report beside the file.
 * Running it again with the same file records nothing twice.
 */
@Command(name = "import-opt-outs", mixinStandardHelpOptions = true,
        description = "Import an existing opt-out registry: CSV nir,scope,registered_at,channel,withdrawn_at.")
final class ImportOptOutsCommand implements Callable<Integer> {

    @ParentCommand
    private Cli cli;

    @Spec
    private CommandSpec spec;

    @Option(names = "--file", required = true, description = "the registry, UTF-8 CSV with a header line")
    private Path file;

    @Option(names = "--errors", description = "the refused rows: line,reason (default: FILE.errors.csv)")
    private Path errorsFile;

    @Option(names = "--report", description = "the signed import report (default: FILE.report.json)")
    private Path reportFile;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(file)) {
            out.println("no file at " + file);
            return 2;
        }
        // a signed report is evidence of what a run wrote: a later run never overwrites it, nor its refused rows
        for (Path given : new Path[] {errorsFile, reportFile}) {
            if (given != null && Files.exists(given)) {
                out.println(given + " exists: an earlier run's file is not overwritten; name another");
                return 2;
            }
        }
        int run = 1;
        while (Files.exists(defaultPath(".errors", ".csv", run)) || Files.exists(defaultPath(".report", ".json", run))) {
            run++;
        }
        Path errors = errorsFile != null ? errorsFile : defaultPath(".errors", ".csv", run);
        Path report = reportFile != null ? reportFile : defaultPath(".report", ".json", run);
        RegistryImport registryImport = cli.context().getBean(RegistryImport.class);
        long size = Files.size(file);
        ObjectNode signed;
        try (InputStream in = Files.newInputStream(file);
             Writer errorsOut = new BufferedWriter(Files.newBufferedWriter(errors));
             ProgressBar progress = FileProgress.bar("Importing", size)) {
            signed = registryImport.run(in, file.getFileName().toString(),
                    "command line (" + System.getProperty("user.name") + ")", errorsOut, progress::stepTo);
        } catch (RegistryRowException e) {
            out.println("import stopped: " + e.getMessage());
            return 1;
        }
        Files.writeString(report, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(signed));
        out.printf("%,d rows: %,d opt-outs and %,d withdrawals recorded, %,d already recorded, %,d refused (see %s)%n",
                signed.get("rows").asLong(), signed.get("optOutsRecorded").asLong(),
                signed.get("withdrawalsRecorded").asLong(), signed.get("alreadyRecorded").asLong(),
                signed.get("rowsRefused").asLong(), errors);
        out.println((signed.get("firstLeaf").isNull() ? "no leaf written" : "written at leaves "
                + signed.get("firstLeaf") + " to " + signed.get("lastLeaf"))
                + (signed.get("alreadyRecordedFirstLeaf").isNull() ? "" : ", already recorded at leaves "
                        + signed.get("alreadyRecordedFirstLeaf") + " to " + signed.get("alreadyRecordedLastLeaf"))
                + ", input sha256 " + signed.get("inputSha256").asText() + "; signed report in " + report);
        return 0;
    }

    /** FILE.report.json for the first run, FILE.report-2.json for the second beside it, and so on. */
    private Path defaultPath(String kind, String extension, int run) {
        return Path.of(file + kind + (run == 1 ? "" : "-" + run) + extension);
    }
}
