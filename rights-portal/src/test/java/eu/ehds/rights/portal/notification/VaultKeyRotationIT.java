package eu.ehds.rights.portal.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.KeysetHandle;
import eu.ehds.rights.notifications.vault.ContentVault;
import eu.ehds.rights.notifications.vault.FindingContent;
import eu.ehds.rights.notifications.vault.VaultKeys;
import eu.ehds.rights.portal.cli.Cli;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.DemoPeople;
import eu.ehds.rights.portal.support.EmbeddedLedger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** An operator rotates the vault's master key with the jar's commands while a node runs, as the README says. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class VaultKeyRotationIT {

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "vault-rotation-it");
    }

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    @Autowired
    DataSource dataSource;

    private String command(String... words) {
        String[] args = new String[words.length + 2];
        System.arraycopy(words, 0, args, 0, words.length);
        args[words.length] = "--spring.datasource.url=" + environment.getProperty("spring.datasource.url");
        args[words.length + 1] = "--ledger.data-dir=" + environment.getProperty("ledger.data-dir");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        return printed;
    }

    private KeysetHandle keysetFile() throws Exception {
        return VaultKeys.parseJson(Files.readString(Path.of(environment.getProperty("ledger.data-dir"),
                MasterKeyset.FILE)));
    }

    @Test
    void add_promote_retire_keeps_the_content_readable_and_leaves_one_key() throws Exception {
        Api api = new Api(port);
        Api.Response project = api.postAsAdmin("/api/v1/projects", "{\"title\":\"Rotation\",\"controller\":"
                + "\"Inserm\",\"purposeCategory\":\"SCIENTIFIC_RESEARCH\",\"dataHolders\":[\"CNAM\"],\"datasets\":"
                + "[\"DCIR\"],\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2028-01-01\",\"idempotencyKey\":"
                + "\"rotation-project-1\"}");
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        String projectId = project.json().get("projectId").asString();
        String projectKey = api.postAsAdmin("/api/v1/projects/" + projectId + "/api-keys", "{}").json().get("apiKey")
                .asString();
        Api.Response reported = api.postJsonWithApiKey("/api/v1/findings", "{\"person\":\"" + DemoPeople.JEAN_NIR
                + "\",\"severity\":\"IMPORTANT\",\"clinicalSummary\":\"HbA1c 11.2 %\",\"personNotice\":\"See your "
                + "doctor.\",\"idempotencyKey\":\"rotation-finding-1\"}", projectKey);
        assertThat(reported.status()).as(reported.body()).isEqualTo(201);
        String findingId = reported.json().get("findingId").asString();
        int original = keysetFile().getPrimary().getId();

        command("vault-key", "add");
        KeysetHandle added = keysetFile();
        String newKey = Integer.toUnsignedString(added.getAt(1).getId());
        assertThat(added.getPrimary().getId()).isEqualTo(original);
        command("vault-key", "promote", "--key-id=" + newKey);
        String retired = command("vault-key", "retire", "--key-id=" + Integer.toUnsignedString(original));

        assertThat(retired).contains("1 records re-wrapped", "key " + Integer.toUnsignedString(original) + " retired");
        KeysetHandle last = keysetFile();
        assertThat(last.size()).isEqualTo(1);
        assertThat(Integer.toUnsignedString(last.getPrimary().getId())).isEqualTo(newKey);
        assertThat(FindingContent.load(new ContentVault(dataSource, last), findingId))
                .hasValueSatisfying(c -> assertThat(c.clinicalSummary()).isEqualTo("HbA1c 11.2 %"));
        assertThat(command("vault-key", "list")).isEqualTo(newKey + " primary\n");
    }
}
