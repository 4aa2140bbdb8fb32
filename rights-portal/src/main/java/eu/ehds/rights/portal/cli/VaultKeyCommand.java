package eu.ehds.rights.portal.cli;

import com.google.crypto.tink.KeysetHandle;
import eu.ehds.rights.notifications.vault.ContentVault;
import eu.ehds.rights.notifications.vault.VaultKeys;
import eu.ehds.rights.portal.ledger.LedgerProperties;
import eu.ehds.rights.portal.notification.MasterKeyset;
import eu.ehds.rights.portal.notification.NotificationProperties;
import java.io.PrintStream;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.context.ApplicationContext;

/**
 * {@code vault-key list|rotate|retire --key-id=N}: the notifications vault's master keyset, in the data directory.
 * {@code rotate} adds a new primary key and re-wraps every data key under it; {@code retire} re-wraps again (what
 * nodes still on the old keyset wrote meanwhile) and then removes a key that is not the primary. Nodes read the
 * keyset at start: restart them after a rotation, and retire the old key only once they all run the new keyset.
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
                    out.printf("%d%s%n", entry.getId(), entry.isPrimary() ? " primary" : "");
                }
                return 0;
            }
            case "rotate" -> {
                KeysetHandle rotated = VaultKeys.rotate(current);
                Path file = MasterKeyset.write(dataDir, rotated);
                int rewrapped = new ContentVault(dataSource, rotated).rewrap();
                out.printf("new primary key %d written to %s; %d records re-wrapped. Restart every node with this "
                        + "keyset, then retire the old keys.%n", rotated.getPrimary().getId(), file, rewrapped);
                return 0;
            }
            case "retire" -> {
                String id = Cli.option(args, "key-id", null);
                if (id == null || !id.matches("\\d{1,10}")) {
                    out.println("vault-key retire: give the key to retire as --key-id=N (see vault-key list)");
                    return 2;
                }
                int rewrapped = new ContentVault(dataSource, current).rewrap();
                KeysetHandle retired = VaultKeys.retire(current, (int) Long.parseLong(id));
                MasterKeyset.write(dataDir, retired);
                out.printf("%d records re-wrapped under key %d; key %s retired.%n", rewrapped,
                        current.getPrimary().getId(), id);
                return 0;
            }
            default -> {
                out.println("usage: vault-key list | rotate | retire --key-id=N");
                return 2;
            }
        }
    }
}
