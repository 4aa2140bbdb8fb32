package eu.ehds.rights.portal.cli;

import com.google.crypto.tink.KeysetHandle;
import eu.ehds.rights.notifications.vault.ContentVault;
import eu.ehds.rights.notifications.vault.VaultKeys;
import eu.ehds.rights.portal.cluster.SharedSettings;
import eu.ehds.rights.portal.ledger.LedgerProperties;
import eu.ehds.rights.portal.notification.MasterKeyset;
import eu.ehds.rights.portal.notification.NotificationProperties;
import java.io.PrintStream;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.context.ApplicationContext;

/**
 * {@code vault-key list|add|promote --key-id=N|retire --key-id=N}: the notifications vault's master keyset, in the
 * data directory, rotated in three steps with a restart of every node after the first two (nodes read the keyset at
 * start), so that no node ever meets a data key wrapped by a master key it lacks: {@code add} a key, {@code promote}
 * it to primary, {@code retire} the old one, which first re-wraps every data key under the primary.
 */
final class VaultKeyCommand {

    private final DataSource dataSource;
    private final NotificationProperties properties;
    private final Path dataDir;

    VaultKeyCommand(ApplicationContext context) {
        this.dataSource = context.getBean(DataSource.class);
        this.properties = context.getBean(NotificationProperties.class);
        this.dataDir = context.getBean(LedgerProperties.class).dataDir();
    }

    int run(String[] args, PrintStream out) {
        String action = args.length == 0 ? "" : args[0];
        if (!action.equals("list") && MasterKeyset.fromEnvironment(properties)) {
            out.println("vault-key: the keyset comes from NOTIFICATIONS_MASTER_KEYSET; rotate the file it was taken "
                    + "from (unset the variable and point --ledger.data-dir at it), then hand the new keyset over");
            return 2;
        }
        KeysetHandle current = MasterKeyset.load(properties, dataDir);
        switch (action) {
            case "list" -> {
                for (int i = 0; i < current.size(); i++) {
                    KeysetHandle.Entry entry = current.getAt(i);
                    out.printf("%s%s%n", Integer.toUnsignedString(entry.getId()), entry.isPrimary() ? " primary" : "");
                }
                return 0;
            }
            case "add" -> {
                KeysetHandle added = VaultKeys.add(current);
                Path file = record(added);
                out.printf("key %s added to %s, not yet primary. Restart every node with this keyset, then "
                        + "vault-key promote --key-id=%1$s.%n",
                        Integer.toUnsignedString(added.getAt(added.size() - 1).getId()), file);
                return 0;
            }
            case "promote", "retire" -> {
                String id = Cli.option(args, "key-id", null);
                if (id == null || !id.matches("\\d{1,10}") || Long.parseLong(id) > 0xffffffffL) {
                    out.println("vault-key " + action + ": give the key as --key-id=N (see vault-key list)");
                    return 2;
                }
                int keyId = Integer.parseUnsignedInt(id);
                try {
                    if (action.equals("promote")) {
                        record(VaultKeys.promote(current, keyId));
                        out.printf("key %s is now primary. Restart every node with this keyset, then retire the "
                                + "old keys.%n", id);
                        return 0;
                    }
                    VaultKeys.retire(current, keyId); // refuses the primary or an unknown key before any change
                } catch (IllegalArgumentException e) {
                    out.println("vault-key " + action + ": " + e.getMessage());
                    return 2;
                }
                int rewrapped = new ContentVault(dataSource, current).rewrap();
                record(VaultKeys.retire(current, keyId));
                out.printf("%d records re-wrapped under key %s; key %s retired.%n", rewrapped,
                        Integer.toUnsignedString(current.getPrimary().getId()), id);
                return 0;
            }
            default -> {
                out.println("usage: vault-key list | add | promote --key-id=N | retire --key-id=N");
                return 2;
            }
        }
    }

    /** Writes the keyset file and records the keyset as the one nodes must start with. */
    private Path record(KeysetHandle keyset) {
        Path file = MasterKeyset.write(dataDir, keyset);
        SharedSettings.vaultKeysetRotated(dataSource, new ContentVault(dataSource, keyset));
        return file;
    }
}
