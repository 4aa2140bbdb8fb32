package eu.ehds.rights.portal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests of {@code deploy/kubernetes} against the API's schemas, offline: the validator is
 * {@code kubernetes-validate} (PyPI, schemas bundled), installed by the README's test command into
 * {@code ~/.cache/rights-ledger/kubernetes-validate} ({@code KUBERNETES_VALIDATE} names another copy).
 */
class KubernetesManifestsTest {

    private static final Path MANIFESTS = Path.of("../deploy/kubernetes");
    private static final String KUBERNETES = "1.33.0";

    @Test
    void the_manifests_validate_strictly_against_the_kubernetes_schemas() throws Exception {
        Result result = validate(manifests());
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("deployment/rights-ledger", "service/rights-ledger",
                "poddisruptionbudget/rights-ledger", "secret/rights-ledger-keys", "configmap/rights-ledger");
    }

    @Test
    void the_validator_refuses_a_broken_manifest_so_that_its_pass_means_something() throws Exception {
        Path broken = Files.createTempFile("deployment-", ".yaml");
        Files.writeString(broken, Files.readString(MANIFESTS.resolve("deployment.yaml"))
                .replace("replicas: 3", "replicas: three"));
        Result result = validate(List.of(broken));
        assertThat(result.exit()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("spec.replicas");
    }

    @Test
    void nodes_are_probed_on_readiness_and_liveness_and_get_every_shared_key_from_the_secret() throws IOException {
        String deployment = Files.readString(MANIFESTS.resolve("deployment.yaml"));
        assertThat(deployment).contains("path: /actuator/health/readiness", "path: /actuator/health/liveness",
                "name: rights-ledger-keys", "replicas: 3");
        assertThat(Files.readString(MANIFESTS.resolve("secret.yaml"))).contains("LEDGER_PSEUDONYM_KEY",
                "LEDGER_SIGNING_KEY", "NOTIFICATIONS_MASTER_KEYSET");
        assertThat(Files.readString(MANIFESTS.resolve("configmap.yaml"))).contains("LEDGER_SHARED_DIR",
                "LEDGER_LOG_ORIGIN", "DECISIONS_RULE");
    }

    private record Result(int exit, String output) {
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static Result validate(List<Path> files) throws Exception {
        String configured = System.getenv("KUBERNETES_VALIDATE");
        Path validator = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache/rights-ledger/kubernetes-validate/bin/kubernetes-validate");
        assertThat(validator).as("the schema validator; the README's test command (.ci/test) installs it").exists();
        List<String> command = new ArrayList<>(List.of(validator.toString(), "--strict", "-k", KUBERNETES));
        files.forEach(f -> command.add(f.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
