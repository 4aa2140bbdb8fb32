package eu.ehds.rights.portal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import eu.ehds.rights.notifications.vault.VaultKeys;
import eu.ehds.rights.portal.RightsPortalApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Settings under which the application must refuse to start, saying what to do; and the demonstration identity
 * provider, which runs only when asked for and never beside production settings.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupRefusalsIT {

    @Test
    void without_the_profile_no_demonstration_provider_runs(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            HttpResponse<String> idp = get(port, "/idp/login");
            assertThat(idp.statusCode()).isNotEqualTo(200);
            HttpResponse<String> login = get(port, "/login");
            assertThat(login.body()).doesNotContain("demo-banner").doesNotContain("citizen-sign-in");
        }
        assertThat(output.getAll()).doesNotContain("DEMONSTRATION identity provider");
    }

    @Test
    void asked_for_on_loopback_the_demonstration_provider_runs_and_the_log_says_so(CapturedOutput output)
            throws Exception {
        try (ConfigurableApplicationContext app = start("--spring.profiles.active=local-idp")) {
            assertThat(get(((WebServerApplicationContext) app).getWebServer().getPort(), "/idp/login").statusCode())
                    .isEqualTo(200);
        }
        assertThat(output.getAll()).contains("DEMONSTRATION identity provider active");
    }

    @Test
    void the_demonstration_provider_refuses_to_run_beside_a_real_providers_settings() throws IOException {
        assertThat(refusal("--spring.profiles.active=local-idp", "--portal.oidc.client-id=portal",
                "--portal.oidc.issuer-uri=https://idp.example", "--portal.oidc.authorization-uri=https://idp.example/a",
                "--portal.oidc.token-uri=https://idp.example/t", "--portal.oidc.jwk-set-uri=https://idp.example/j"))
                .contains("demonstration identity provider").contains("PORTAL_OIDC_");
    }

    @Test
    void the_demonstration_provider_refuses_to_run_behind_secure_cookies_or_off_loopback() throws IOException {
        assertThat(refusal("--spring.profiles.active=local-idp", "--server.servlet.session.cookie.secure=true"))
                .contains("PORTAL_SECURE_COOKIES");
        assertThat(refusal("--spring.profiles.active=local-idp", "--server.address=0.0.0.0"))
                .contains("not on loopback");
    }

    @Test
    void a_real_provider_without_its_issuer_is_refused() throws IOException {
        assertThat(refusal("--portal.oidc.client-id=portal", "--portal.oidc.authorization-uri=https://idp.example/a",
                "--portal.oidc.token-uri=https://idp.example/t", "--portal.oidc.jwk-set-uri=https://idp.example/j"))
                .contains("PORTAL_OIDC_ISSUER");
    }

    @Test
    void a_staff_password_shorter_than_twelve_characters_is_refused() throws IOException {
        assertThat(refusal("--ledger.admin-password=short-pass1")).contains("LEDGER_ADMIN_PASSWORD")
                .contains("at least 12");
    }

    @Test
    void a_node_whose_keys_origin_or_rule_differ_from_those_its_database_recorded_refuses_to_start() throws Exception {
        // given a ledger that has started once on its database (recording its settings' fingerprints)
        Path dataDir = Files.createTempDirectory("shared-settings-");
        on(dataDir).close();
        String otherKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);

        // when a node starts on the same database with another pseudonymisation key, origin or rule, it refuses
        assertThat(refusal(dataDir, "--ledger.pseudonym-key=" + otherKey)).contains("pseudonymisation key")
                .contains("LEDGER_PSEUDONYM_KEY").doesNotContain(otherKey);
        assertThat(refusal(dataDir, "--ledger.origin=another.example/log")).contains("log origin")
                .contains("LEDGER_LOG_ORIGIN");
        assertThat(refusal(dataDir, "--decisions.rule=STRICT_FUTURE_EXTRACTS",
                "--notifications.master-keyset=" + VaultKeys.toJson(VaultKeys.generate())))
                .contains("decision rule").contains("notifications master key");
        assertThat(refusal(dataDir, "--notifications.master-key=" + otherKey))
                .contains("NOTIFICATIONS_MASTER_KEY is not a key of").doesNotContain(otherKey);

        // and with the same settings it starts
        on(dataDir).close();
    }

    /** The messages of the exception that stopped the start, from the outermost to its root. */
    private static String refusal(Path dataDir, String... args) {
        Throwable failure = catchThrowable(() -> on(dataDir, args).close());
        assertThat(failure).as("the application started with %s", List.of(args)).isNotNull();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    /** The messages of the exception that stopped a start on a data directory of its own. */
    private static String refusal(String... args) throws IOException {
        return refusal(Files.createTempDirectory("startup-refusals-"), args);
    }

    private static ConfigurableApplicationContext start(String... args) throws IOException {
        return on(Files.createTempDirectory("startup-refusals-"), args);
    }

    private static ConfigurableApplicationContext on(Path dataDir, String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--ledger.data-dir=" + dataDir,
                "--spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("ledger")));
        all.addAll(List.of(args));
        return new SpringApplicationBuilder(RightsPortalApplication.class).run(all.toArray(String[]::new));
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
