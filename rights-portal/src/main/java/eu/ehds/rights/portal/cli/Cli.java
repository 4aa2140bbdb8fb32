package eu.ehds.rights.portal.cli;

import eu.ehds.rights.portal.RightsPortalApplication;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Commands of the application jar, parsed by picocli ({@code --help} on each; an unknown option or a missing value
 * is refused with exit 2, so that a mistyped option never silently changes what a command does). Options starting
 * with {@code --spring.} or {@code --ledger.} are not the command's: they configure the application that commands
 * such as {@code verify}, {@code bench} and {@code vault-key} start (without serving HTTP) against the configured
 * database.
 */
@Command(name = "java -jar rights-portal.jar", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"The rights ledger's commands; without one, the jar serves the portal and the ledger.",
                "The benchmarks are in their own jar: java -jar benchmarks/target/benchmarks.jar --help."},
        subcommands = {VerifyCommand.class, FilterCommand.class, VerifyAnchorCommand.class,
                VerifyReceiptCommand.class, VaultKeyCommand.class})
public final class Cli {

    private static final Set<String> COMMANDS = Set.of("verify", "filter", "verify-anchor", "verify-receipt",
            "vault-key", "--help", "-h", "--version", "-V");

    /** The version in the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"rights-ledger " + (version == null ? "(development build)" : version)};
        }
    }

    private final String[] applicationArgs;
    private ConfigurableApplicationContext context;

    private Cli(String[] applicationArgs) {
        this.applicationArgs = applicationArgs;
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
        List<String> application = new ArrayList<>();
        List<String> command = new ArrayList<>();
        for (String arg : args) {
            (arg.startsWith("--spring.") || arg.startsWith("--ledger.") ? application : command).add(arg);
        }
        Cli cli = new Cli(application.toArray(String[]::new));
        PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        try {
            return new CommandLine(cli).setOut(writer).setErr(writer)
                    .setExecutionExceptionHandler((e, line, parsed) -> {
                        line.getErr().println(line.getCommandName() + " failed: " + e);
                        return 1;
                    })
                    .execute(command.toArray(String[]::new));
        } finally {
            writer.flush();
            if (cli.context != null) {
                cli.context.close();
            }
        }
    }

    /** The application, started once without serving HTTP, for the commands that work on its database. */
    ApplicationContext context() {
        if (context == null) {
            context = new SpringApplicationBuilder(RightsPortalApplication.class).web(WebApplicationType.NONE)
                    .logStartupInfo(false).run(applicationArgs);
        }
        return context;
    }
}
