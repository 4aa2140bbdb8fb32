package eu.ehds.rights.portal.notification;

import com.google.crypto.tink.KeysetHandle;
import eu.ehds.rights.notifications.vault.VaultKeys;
import eu.ehds.rights.portal.ledger.KeyMaterial;
import eu.ehds.rights.portal.ledger.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where the vault's master keyset comes from, first found wins: {@code NOTIFICATIONS_MASTER_KEYSET} (Tink JSON), the
 * file {@value #FILE} in the data directory, a raw 32-byte key ({@code NOTIFICATIONS_MASTER_KEY} or the file
 * {@value #RAW_FILE}, as written before the vault used Tink). On a first start with none, a keyset is generated into
 * {@value #FILE}. Rotation ({@code vault-key rotate}) writes {@value #FILE}, which then takes precedence over the raw
 * key it keeps inside.
 */
public final class MasterKeyset {

    public static final String FILE = "notifications-master.keyset.json";
    static final String RAW_FILE = "notifications-master.key";

    private MasterKeyset() {
    }

    public static KeysetHandle load(NotificationProperties properties, Path dataDir) {
        if (fromEnvironment(properties)) {
            return VaultKeys.parseJson(properties.masterKeyset());
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                KeysetHandle keyset = VaultKeys.parseJson(Files.readString(file, StandardCharsets.UTF_8));
                if (properties.masterKey() != null && !properties.masterKey().isBlank()) {
                    requireContains(keyset, properties.masterKey(), dataDir);
                }
                return keyset;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (properties.masterKey() != null && !properties.masterKey().isBlank()
                || Files.exists(dataDir.resolve(RAW_FILE))) {
            return VaultKeys.fromRawKey(KeyMaterial.load(properties.masterKey(), dataDir, RAW_FILE, 32,
                    "notifications master key"));
        }
        KeysetHandle generated = VaultKeys.generate();
        write(dataDir, generated);
        return generated;
    }

    /** A raw key still configured beside a keyset file must be in it: otherwise the operator meant another key. */
    private static void requireContains(KeysetHandle keyset, String rawKey, Path dataDir) {
        int id = VaultKeys.fromRawKey(KeyMaterial.load(rawKey, dataDir, RAW_FILE, 32, "notifications master key"))
                .getPrimary().getId();
        for (int i = 0; i < keyset.size(); i++) {
            if (keyset.getAt(i).getId() == id) {
                return;
            }
        }
        throw new IllegalStateException("NOTIFICATIONS_MASTER_KEY is not a key of " + dataDir.resolve(FILE)
                + ", which takes precedence: unset NOTIFICATIONS_MASTER_KEY, or give the keyset that holds it");
    }

    /** Whether the keyset comes from the environment, which a command cannot rewrite. */
    public static boolean fromEnvironment(NotificationProperties properties) {
        return properties.masterKeyset() != null && !properties.masterKeyset().isBlank();
    }

    /** Replaces the keyset file at once (written aside, readable by this user only, then moved). */
    public static Path write(Path dataDir, KeysetHandle keyset) {
        Path file = dataDir.resolve(FILE);
        try {
            Files.createDirectories(dataDir);
            Path aside = PrivateFiles.create(dataDir.resolve(FILE + ".new"));
            Files.writeString(aside, VaultKeys.toJson(keyset), StandardCharsets.UTF_8);
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
