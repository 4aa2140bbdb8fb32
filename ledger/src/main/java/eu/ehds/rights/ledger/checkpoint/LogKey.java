package eu.ehds.rights.ledger.checkpoint;

import java.util.Base64;

/**
 * A key that has signed a log's checkpoints and the tree sizes it signed: from {@code firstTreeSize} to
 * {@code lastTreeSize}, or on when {@code lastTreeSize} is null (the current key).
 *
 * @param publicKey the raw 32-byte Ed25519 public key, base64
 */
public record LogKey(String publicKey, long firstTreeSize, Long lastTreeSize) {

    public LogKey {
        if (Base64.getDecoder().decode(publicKey).length != 32) {
            throw new IllegalArgumentException("a log key is a raw Ed25519 public key of 32 bytes");
        }
        if (firstTreeSize < 0 || lastTreeSize != null && lastTreeSize < firstTreeSize) {
            throw new IllegalArgumentException("a key signs tree sizes from firstTreeSize to lastTreeSize");
        }
    }

    /** The only key of a log that never rotated: every tree size. */
    public static LogKey only(byte[] rawPublicKey) {
        return new LogKey(Base64.getEncoder().encodeToString(rawPublicKey), 0, null);
    }

    public byte[] rawPublicKey() {
        return Base64.getDecoder().decode(publicKey);
    }

    public boolean signs(long treeSize) {
        return treeSize >= firstTreeSize && (lastTreeSize == null || treeSize <= lastTreeSize);
    }

    public boolean current() {
        return lastTreeSize == null;
    }

    /** The tree sizes in words, for messages. */
    public String period() {
        return lastTreeSize == null ? "tree sizes from " + firstTreeSize
                : "tree sizes " + firstTreeSize + " to " + lastTreeSize;
    }
}
