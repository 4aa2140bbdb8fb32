package eu.ehds.rights.portal.cli;

import eu.ehds.rights.portal.RightsPortalApplication;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Commands of the application jar, run against the configured database without serving HTTP:
 * <ul>
 *   <li>{@code verify}: rebuild every leaf and root from the event store, check every checkpoint; exit 1 on any
 *   mismatch, naming the first bad leaf;</li>
 *   <li>{@code bench append [--count=N]}: durable append throughput, ours beside plain JDBC inserts;</li>
 *   <li>{@code bench verify [--events=N]}: seed the log up to N events and time a full verification;</li>
 *   <li>{@code bench filter [--rows=N] [--ids=pseudonyms|nirs] [--postgres=URL]}: extract filtering at national
 *   scale beside PostgreSQL (see {@link FilterBenchmark});</li>
 *   <li>{@code bench decisions}: point decisions in process ({@link DecisionBenchmark});</li>
 *   <li>{@code vault-key list|add|promote --key-id=N|retire --key-id=N}: the notifications vault's master keyset
 *   ({@link VaultKeyCommand}).</li>
 * </ul>
 * and {@code filter}, the data holders' tool (see {@link FilterCommand}), and {@code verify-anchor}, the auditors'
 * check of an entry against its anchor on Fabric (see {@link VerifyAnchorCommand}), and {@code verify-receipt}, anyone's
 * offline check of a receipt (see {@link VerifyReceiptCommand}).
 * Options starting with {@code --spring.} or {@code --ledger.} are passed to the application.
 */
public final class Cli {

    private Cli() {
    }

    public static boolean isCommand(String word) {
        return word.equals("verify") || word.equals("bench") || word.equals("filter") || word.equals("verify-anchor")
                || word.equals("verify-receipt") || word.equals("vault-key");
    }

    public static int run(String[] args) {
        return run(args, System.out);
    }

    /** A command that needs no application context (it works on files, or talks to a server over HTTP). */
    private interface Standalone {
        int run(String[] args, PrintStream out) throws Exception;
    }

    private static final Map<String, Standalone> STANDALONE = Map.of(
            "filter", (a, o) -> new FilterCommand(o).run(a),
            "verify-anchor", (a, o) -> new VerifyAnchorCommand(o).run(a),
            "verify-receipt", (a, o) -> new VerifyReceiptCommand(o).run(a),
            "bench filter", (a, o) -> new FilterBenchmark(o).run(a),
            "bench decisions", (a, o) -> new DecisionBenchmark(o).run(a));

    public static int run(String[] args, PrintStream out) {
        for (int words = Math.min(2, args.length); words >= 1; words--) {
            Standalone standalone = STANDALONE.get(String.join(" ", Arrays.copyOfRange(args, 0, words)));
            if (standalone != null) {
                try {
                    return standalone.run(Arrays.copyOfRange(args, words, args.length), out);
                } catch (Exception e) {
                    out.println(args[0] + " failed: " + e);
                    return 1;
                }
            }
        }
        String[] springArgs = Arrays.stream(args).filter(a -> a.startsWith("--spring.") || a.startsWith("--ledger."))
                .toArray(String[]::new);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(RightsPortalApplication.class)
                .web(WebApplicationType.NONE).logStartupInfo(false).run(springArgs)) {
            return switch (args[0]) {
                case "verify" -> new VerifyCommand(context).run(out);
                case "bench" -> new Benchmarks(context, out).run(Arrays.copyOfRange(args, 1, args.length));
                case "vault-key" -> new VaultKeyCommand(context).run(Arrays.copyOfRange(args, 1, args.length), out);
                default -> 2;
            };
        }
    }

    /** The value of {@code --name=value} among the arguments, or the default. */
    static String option(String[] args, String name, String defaultValue) {
        for (String arg : args) {
            if (arg.startsWith("--" + name + "=")) {
                return arg.substring(name.length() + 3);
            }
        }
        return defaultValue;
    }

    static long option(String[] args, String name, long defaultValue) {
        String value = option(args, name, null);
        return value == null ? defaultValue : Long.parseLong(value);
    }
}
