package eu.ehds.rights.ledger.api.signing;

import java.time.Instant;

/**
 * Event type {@code SigningKeyRotated}, revision 1: from the tree size that includes this entry, the log's checkpoints
 * are signed by {@code nextKey}, no longer by {@code previousKey} (raw Ed25519 public keys, base64).
 */
public record SigningKeyRotated(String origin, String previousKey, String nextKey, String recordedBy,
                                Instant rotatedAt) {
}
