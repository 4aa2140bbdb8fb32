package eu.ehds.rights.portal.cli;

import java.io.PrintStream;
import java.util.Set;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Commands of the application jar, parsed by picocli ({@code --help} on each; an unknown option or a missing value
 * is refused with exit 2, so that a mistyped option never silently changes what a command does). Options named like
 * properties, with a dot ({@code --spring.…}, {@code --ledger.…}), are not the command's: they configure the
 * application that commands such as {@code verify} and {@code vault-key} start (without serving HTTP) against the
 * configured database (see {@link CommandRun}).
 */
@Command(name = "java -jar rights-portal.jar", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"The rights ledger's commands; without one, the jar serves the portal and the ledger.",
                "The benchmarks are in their own jar: java -jar benchmarks/target/benchmarks.jar --help."},
        subcommands = {VerifyCommand.class, FilterCommand.class, VerifyAnchorCommand.class,
                VerifyReceiptCommand.class, VaultKeyCommand.class, SigningKeyCommand.class, ImportOptOutsCommand.class})
public final class Cli {

    private static final Set<String> COMMANDS = Set.of("verify", "filter", "verify-anchor", "verify-receipt",
            "vault-key", "signing-key", "import-opt-outs", "--help", "-h", "--version", "-V");

    /** The version in the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"rights-ledger " + (version == null ? "(development build)" : version)};
        }
    }

    private final CommandRun run;

    private Cli(CommandRun run) {
        this.run = run;
    }

    /**
     * Whether the jar's first argument asks for a command rather than the server: a command's name, help, or any
     * word that is not an option (refused by name, rather than ignored by a server that starts anyway).
     */
    public static boolean isCommand(String word) {
        return COMMANDS.contains(word) || !word.startsWith("-");
    }

    public static int run(String[] args) {
        return run(args, System.out);
    }

    public static int run(String[] args, PrintStream out) {
        return CommandRun.execute(args, out, Cli::new);
    }

    /** The application, started once without serving HTTP, for the commands that work on its database. */
    ApplicationContext context() {
        return run.context();
    }
}
