package eu.ehds.rights.portal.cli;

import com.google.crypto.tink.KeysetHandle;
import eu.ehds.rights.notifications.vault.ContentVault;
import eu.ehds.rights.notifications.vault.VaultKeys;
import eu.ehds.rights.portal.cluster.SharedSettings;
import eu.ehds.rights.portal.ledger.LedgerProperties;
import eu.ehds.rights.portal.notification.MasterKeyset;
import eu.ehds.rights.portal.notification.NotificationProperties;
import java.io.PrintWriter;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vault-key list|add|promote --key-id=N|retire --key-id=N}: the notifications vault's master keyset, in the
 * data directory, rotated in three steps with a restart of every node after the first two (nodes read the keyset at
 * start), so that no node ever meets a data key wrapped by a master key it lacks: {@code add} a key, {@code promote}
 * it to primary, {@code retire} the old one, which first re-wraps every data key under the primary.
 */
@Command(name = "vault-key", mixinStandardHelpOptions = true,
        description = "The notifications vault's master keyset: list, add, promote, retire.")
final class VaultKeyCommand {

    @ParentCommand
    private Cli cli;

    @Spec
    private CommandSpec spec;

    private DataSource dataSource;
    private NotificationProperties properties;
    private Path dataDir;
    private PrintWriter out;

    /** The application on the configured database; the keyset as the nodes read it at start. */
    private KeysetHandle start(boolean rewrites) {
        ApplicationContext context = cli.context();
        dataSource = context.getBean(DataSource.class);
        properties = context.getBean(NotificationProperties.class);
        dataDir = context.getBean(LedgerProperties.class).dataDir();
        out = spec.commandLine().getOut();
        if (rewrites && MasterKeyset.fromEnvironment(properties)) {
            return null;
        }
        return MasterKeyset.load(properties, dataDir);
    }

    private int fromEnvironment() {
        out.println("vault-key: the keyset comes from NOTIFICATIONS_MASTER_KEYSET; rotate the file it was taken "
                + "from (unset the variable and point --ledger.data-dir at it), then hand the new keyset over");
        return 2;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The keys, the primary one marked.")
    int list() {
        KeysetHandle current = start(false);
        for (int i = 0; i < current.size(); i++) {
            KeysetHandle.Entry entry = current.getAt(i);
            out.printf("%s%s%n", Integer.toUnsignedString(entry.getId()), entry.isPrimary() ? " primary" : "");
        }
        return 0;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a key, not yet used to wrap.")
    int add() {
        KeysetHandle current = start(true);
        if (current == null) {
            return fromEnvironment();
        }
        KeysetHandle added = VaultKeys.add(current);
        Path file = record(added);
        out.printf("key %s added to %s, not yet primary. Restart every node with this keyset, then "
                        + "vault-key promote --key-id=%1$s.%n",
                Integer.toUnsignedString(added.getAt(added.size() - 1).getId()), file);
        return 0;
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Make a key the one new data keys are "
            + "wrapped by.")
    int promote(@Option(names = "--key-id", required = true, description = "see vault-key list") String id) {
        return change("promote", id, (current, keyId) -> {
            record(VaultKeys.promote(current, keyId));
            out.printf("key %s is now primary. Restart every node with this keyset, then retire the old keys.%n", id);
        });
    }

    @Command(name = "retire", mixinStandardHelpOptions = true, description = "Re-wrap every data key under the "
            + "primary key, then remove a key that is not the primary.")
    int retire(@Option(names = "--key-id", required = true, description = "see vault-key list") String id) {
        return change("retire", id, (current, keyId) -> {
            VaultKeys.retire(current, keyId); // refuses the primary or an unknown key before any change
            int rewrapped = new ContentVault(dataSource, current).rewrap();
            record(VaultKeys.retire(current, keyId));
            out.printf("%d records re-wrapped under key %s; key %s retired.%n", rewrapped,
                    Integer.toUnsignedString(current.getPrimary().getId()), id);
        });
    }

    /** A step on one key of the keyset file: refused, with what is wrong, for an environment keyset or a bad key. */
    private int change(String step, String id, java.util.function.ObjIntConsumer<KeysetHandle> change) {
        KeysetHandle current = start(true);
        if (current == null) {
            return fromEnvironment();
        }
        Integer keyId = keyId(id);
        if (keyId == null) {
            return 2;
        }
        try {
            change.accept(current, keyId);
            return 0;
        } catch (IllegalArgumentException e) {
            out.println("vault-key " + step + ": " + e.getMessage());
            return 2;
        }
    }

    /** A key id as {@code vault-key list} prints it (unsigned), or null after saying what is wrong. */
    private Integer keyId(String id) {
        if (!id.matches("\\d{1,10}") || Long.parseLong(id) > 0xffffffffL) {
            out.println("vault-key: --key-id is a key id as vault-key list prints it, not " + id);
            return null;
        }
        return Integer.parseUnsignedInt(id);
    }

    /** Writes the keyset file and records the keyset as the one nodes must start with. */
    private Path record(KeysetHandle keyset) {
        Path file = MasterKeyset.write(dataDir, keyset);
        SharedSettings.vaultKeysetRotated(dataSource, new ContentVault(dataSource, keyset));
        return file;
    }
}
