package eu.ehds.rights.portal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The jar's command line as a data holder or an operator types it: help, and mistakes refused by name. */
class CliTest {

    private record Run(int exit, String printed) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = Cli.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void help_lists_every_command_and_exits_zero() {
        Run help = run("--help");

        assertThat(help.exit()).isZero();
        assertThat(help.printed()).contains("verify", "filter", "verify-anchor", "verify-receipt",
                "vault-key");
        assertThat(run("filter", "--help").printed()).contains("--column", "--snapshot", "--server");
    }

    @Test
    void a_mistyped_option_is_refused_with_exit_2_and_the_likely_one_named() {
        Run typo = run("filter", "--in=extract.csv", "--out=allowed.csv", "--snapshot=s.snap", "--public-key=AA==",
                "--colum=nir");

        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.printed()).contains("Unknown option: '--colum=nir'").contains("--column");
    }

    @Test
    void a_missing_required_option_or_a_bad_number_is_refused_with_exit_2() {
        assertThat(run("verify-receipt", "--origin=o")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.printed()).contains("Missing required option", "--file");
        });
        assertThat(run("verify-receipt", "--file=receipt.json")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.printed()).contains("give --keys=FILE, or --origin with one or more --public-key");
        });
        assertThat(run("bench", "decisions", "--opt-outs=many")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.printed()).contains("--opt-outs", "many");
        });
        assertThat(run("filter", "--in=a", "--out=b").printed()).contains("--server", "--snapshot");
    }

    @Test
    void options_named_like_properties_go_to_the_application_and_the_others_to_the_command() {
        assertThat(CommandRun.isProperty("--ledger.data-dir=/tmp/x")).isTrue();
        assertThat(CommandRun.isProperty("--logging.level.root=WARN")).isTrue();
        assertThat(CommandRun.isProperty("--key-id=12")).isFalse();
        assertThat(CommandRun.isProperty("--help")).isFalse();
        assertThat(CommandRun.isProperty("extract.csv")).isFalse();
    }

    @Test
    void an_unknown_command_is_refused_with_exit_2_rather_than_starting_the_server() {
        assertThat(Cli.isCommand("bench")).isTrue();
        assertThat(Cli.isCommand("--server.port=8081")).isFalse();
        Run unknown = run("bench", "append");

        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.printed()).contains("Unmatched argument", "bench");
    }
}
