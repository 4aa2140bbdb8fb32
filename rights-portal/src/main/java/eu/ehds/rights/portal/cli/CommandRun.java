package eu.ehds.rights.portal.cli;

import eu.ehds.rights.portal.RightsPortalApplication;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

/**
 * One run of a picocli command of the jars (the application's and the benchmarks'): options named like properties,
 * with a dot ({@code --spring.datasource.url=…}, {@code --ledger.data-dir=…}, {@code --logging.level.root=…}),
 * configure the application that a command may start (once, without serving HTTP, closed at the end); the others
 * are the command's, whose options never have a dot in their names. A failure prints one line and exits 1; picocli refuses
 * usage errors with exit 2.
 *
 * <pre>{@code
 * int exit = CommandRun.execute(args, out, run -> new MyCommands(run));   // the command calls run.context()
 * }</pre>
 */
public final class CommandRun {

    private final String[] applicationArgs;
    private ConfigurableApplicationContext context;

    private CommandRun(String[] applicationArgs) {
        this.applicationArgs = applicationArgs;
    }

    public static int execute(String[] args, PrintStream out, Function<CommandRun, Object> command) {
        List<String> application = new ArrayList<>();
        List<String> own = new ArrayList<>();
        for (String arg : args) {
            (isProperty(arg) ? application : own).add(arg);
        }
        CommandRun run = new CommandRun(application.toArray(String[]::new));
        PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        try {
            return new CommandLine(command.apply(run)).setOut(writer).setErr(writer)
                    .setExecutionExceptionHandler((e, line, parsed) -> {
                        line.getErr().println(line.getCommandName() + " failed: " + e);
                        return 1;
                    })
                    .execute(own.toArray(String[]::new));
        } finally {
            writer.flush();
            if (run.context != null) {
                run.context.close();
            }
        }
    }

    static boolean isProperty(String arg) {
        int end = arg.indexOf('=');
        return arg.startsWith("--") && arg.substring(2, end < 0 ? arg.length() : end).contains(".");
    }

    /** The application on the configured database, started once without serving HTTP. */
    public ApplicationContext context() {
        if (context == null) {
            context = new SpringApplicationBuilder(RightsPortalApplication.class).web(WebApplicationType.NONE)
                    .logStartupInfo(false).run(applicationArgs);
        }
        return context;
    }
}
