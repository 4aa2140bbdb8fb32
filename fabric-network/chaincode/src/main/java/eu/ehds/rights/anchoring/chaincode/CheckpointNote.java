package eu.ehds.rights.anchoring.chaincode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A C2SP tlog-checkpoint (origin, tree size, base64 root) in a C2SP signed note, checked against the Ed25519 key
 * registered for its origin. The key name of the signature line is the origin.
 */
record CheckpointNote(String origin, long treeSize, byte[] rootHash) {

    private static final byte ED25519 = 0x01;
    private static final byte[] X509_ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** Returns the checkpoint the note signs, or throws with the reason it cannot be accepted. */
    static CheckpointNote verify(String note, String origin, byte[] publicKey) {
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new AnchorRefused("the checkpoint note has no blank line before its signatures");
        }
        String text = note.substring(0, split + 1);
        String prefix = "\u2014 " + origin + " ";
        byte[] keyId = keyId(origin, publicKey);
        for (String line : note.substring(split + 2).split("\n")) {
            if (!line.startsWith(prefix)) {
                continue;
            }
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(line.substring(prefix.length()));
            } catch (IllegalArgumentException e) {
                throw new AnchorRefused("a signature line of the note is not base64");
            }
            if (blob.length == 68 && MessageDigest.isEqual(Arrays.copyOf(blob, 4), keyId)) {
                if (!ed25519(publicKey, text.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(blob, 4, 68))) {
                    throw new AnchorRefused("the note's signature does not verify with the key registered for " + origin);
                }
                return parse(text);
            }
        }
        throw new AnchorRefused("the note carries no signature by the key registered for " + origin);
    }

    private static CheckpointNote parse(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length < 4) {
            throw new AnchorRefused("the checkpoint has no origin, tree size and root hash lines");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new AnchorRefused("the checkpoint's tree size line is not a number");
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new AnchorRefused("the checkpoint's root hash line is not base64");
        }
        if (root.length != 32) {
            throw new AnchorRefused("the checkpoint's root hash is not 32 bytes");
        }
        return new CheckpointNote(lines[0], size, root);
    }

    static byte[] keyId(String keyName, byte[] publicKey) {
        MessageDigest sha = ConsistencyProof.sha256();
        sha.update(keyName.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        sha.update(ED25519);
        sha.update(publicKey);
        return Arrays.copyOf(sha.digest(), 4);
    }

    static PublicKey ed25519Key(byte[] raw) throws GeneralSecurityException {
        if (raw.length != 32) {
            throw new GeneralSecurityException("an Ed25519 public key has 32 bytes");
        }
        byte[] encoded = Arrays.copyOf(X509_ED25519_PREFIX, X509_ED25519_PREFIX.length + 32);
        System.arraycopy(raw, 0, encoded, X509_ED25519_PREFIX.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
    }

    private static boolean ed25519(byte[] publicKey, byte[] message, byte[] signatureBytes) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(ed25519Key(publicKey));
            signature.update(message);
            return signature.verify(signatureBytes);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
