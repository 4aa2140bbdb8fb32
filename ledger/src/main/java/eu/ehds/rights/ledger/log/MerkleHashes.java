package eu.ehds.rights.ledger.log;

import eu.ehds.rights.ledger.crypto.Sha256;
import java.security.MessageDigest;

/** RFC 9162 (section 2.1.1) hashing: domain-separated leaf and interior node hashes over SHA-256. */
public final class MerkleHashes {

    public static final int HASH_SIZE = 32;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Sha256::digest);

    private MerkleHashes() {
    }

    /** Root of the empty tree: SHA-256 of the empty string. */
    public static byte[] emptyRoot() {
        return SHA256.get().digest(new byte[0]);
    }

    /** SHA-256(0x00 || leaf bytes). */
    public static byte[] leafHash(byte[] leaf) {
        MessageDigest md = SHA256.get();
        md.update((byte) 0x00);
        return md.digest(leaf);
    }

    /** SHA-256(0x01 || left || right). */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest md = SHA256.get();
        md.update((byte) 0x01);
        md.update(left);
        return md.digest(right);
    }

    /** Largest power of two strictly smaller than n (n >= 2). */
    static long splitPoint(long n) {
        return Long.highestOneBit(n - 1);
    }
}
