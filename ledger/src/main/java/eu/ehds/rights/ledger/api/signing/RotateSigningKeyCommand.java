package eu.ehds.rights.ledger.api.signing;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import java.util.Base64;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Replaces the key that signs the log's checkpoints: {@code previousKey} signed every checkpoint up to the tree size
 * just before this command's own entry, {@code nextKey} signs from the tree size that includes it. Keys are raw
 * 32-byte Ed25519 public keys in base64. One history of keys per origin ({@link #keysId(String)}).
 */
public record RotateSigningKeyCommand(@TargetAggregateIdentifier String keysId, String origin, String previousKey,
                                      String nextKey, String recordedBy, Instant rotatedAt,
                                      String idempotencyKey) implements IdempotentCommand {

    public RotateSigningKeyCommand {
        Require.text(origin, "origin", 200);
        if (!keysId(origin).equals(keysId)) {
            throw new IllegalArgumentException("keysId must be signing-keys:origin");
        }
        requireKey(previousKey, "previousKey");
        requireKey(nextKey, "nextKey");
        Require.recorded(recordedBy, idempotencyKey);
        Require.present(rotatedAt, "rotatedAt");
    }

    public static String keysId(String origin) {
        return "signing-keys:" + origin;
    }

    private static void requireKey(String key, String field) {
        Require.present(key, field);
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException(field + " must be a raw Ed25519 public key of 32 bytes");
        }
    }
}
