package eu.ehds.rights.notifications.vault;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.util.SecretBytes;
import eu.ehds.rights.ledger.crypto.Sha256;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * Master keysets of the {@link ContentVault}, rotated in three steps so that nodes restarted one by one always open
 * what the others wrote: a new key is added (every node can unwrap with it), then promoted (new data keys are wrapped
 * by it), then the old key is retired once {@link ContentVault#rewrap} ran. Read and written as Tink's JSON keyset.
 *
 * <pre>{@code
 * KeysetHandle added = VaultKeys.add(current);                     // restart every node with it
 * KeysetHandle next = VaultKeys.promote(added, newKeyId);           // restart every node with it
 * vault.rewrap();                                                   // every data key now under the new key
 * KeysetHandle done = VaultKeys.retire(next, oldKeyId);
 * }</pre>
 */
public final class VaultKeys {

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private VaultKeys() {
    }

    /** A new keyset with one AES-256-GCM key. */
    public static KeysetHandle generate() {
        try {
            return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a master keyset", e);
        }
    }

    /**
     * A keyset holding a raw 32-byte AES-GCM key (no output prefix), as master keys and data keys were before the
     * vault used Tink. Its key id is derived from the key, so every node builds the same keyset from the same key.
     */
    public static KeysetHandle fromRawKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a raw master key must have 32 bytes, not " + key.length);
        }
        try {
            AesGcmKey raw = AesGcmKey.builder()
                    .setParameters(AesGcmParameters.builder().setKeySizeBytes(32).setIvSizeBytes(12)
                            .setTagSizeBytes(16).setVariant(AesGcmParameters.Variant.NO_PREFIX).build())
                    .setKeyBytes(SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get())).build();
            int id = ByteBuffer.wrap(Sha256.of(key)).getInt() & 0x7fffffff;
            return KeysetHandle.newBuilder().addEntry(KeysetHandle.importKey(raw).withFixedId(id).makePrimary())
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot import a raw master key", e);
        }
    }

    /**
     * The keyset with a new AES-256-GCM key that is not yet primary: nodes given it can open what the new key will
     * wrap before any node wraps with it ({@link #promote}).
     */
    public static KeysetHandle add(KeysetHandle keyset) {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(keyset);
            builder.addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                    .withRandomId());
            return builder.build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot add a key to the master keyset", e);
        }
    }

    /** The keyset with one of its keys as primary: new data keys are wrapped by it. */
    public static KeysetHandle promote(KeysetHandle keyset, int keyId) {
        KeysetHandle.Builder builder = KeysetHandle.newBuilder(keyset); // entries in the keyset's order
        builder.getAt(indexOf(keyset, keyId)).makePrimary();
        try {
            return builder.build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot promote key " + Integer.toUnsignedString(keyId), e);
        }
    }

    /** The keyset without a key that is not its primary. */
    public static KeysetHandle retire(KeysetHandle keyset, int keyId) {
        if (keyset.getPrimary().getId() == keyId) {
            throw new IllegalArgumentException("key " + Integer.toUnsignedString(keyId)
                    + " is the primary key: rotate first");
        }
        KeysetHandle.Builder builder = KeysetHandle.newBuilder(keyset);
        builder.deleteAt(indexOf(keyset, keyId));
        try {
            return builder.build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot retire key " + Integer.toUnsignedString(keyId), e);
        }
    }

    private static int indexOf(KeysetHandle keyset, int keyId) {
        for (int i = 0; i < keyset.size(); i++) {
            if (keyset.getAt(i).getId() == keyId) {
                return i;
            }
        }
        throw new IllegalArgumentException("the keyset has no key " + Integer.toUnsignedString(keyId));
    }

    public static KeysetHandle parseJson(String json) {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a Tink JSON keyset", e);
        }
    }

    /** The keyset in Tink's JSON format, secret key material included: for a file only its owner reads. */
    public static String toJson(KeysetHandle keyset) {
        try {
            return TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the keyset", e);
        }
    }
}
