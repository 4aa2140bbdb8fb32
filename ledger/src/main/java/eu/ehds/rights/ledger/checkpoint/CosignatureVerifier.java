package eu.ehds.rights.ledger.checkpoint;

import eu.ehds.rights.ledger.crypto.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Checks a witness's C2SP {@code tlog-cosignature} (cosignature/v1, Ed25519) on a checkpoint: the signature line
 * {@code — <witness> base64(key id ‖ timestamp ‖ signature)}, where the witness signed
 * {@code "cosignature/v1\ntime <timestamp>\n"} followed by the checkpoint's text, asserting that it saw the checkpoint
 * extend every earlier one it cosigned.
 *
 * <pre>{@code
 * CosignatureVerifier witness = CosignatureVerifier.parse("witness.example+33f49800+BLp2…");   // its verifier key
 * Optional<Long> cosignedAt = witness.verify(checkpointNoteWithCosignatures);
 * }</pre>
 */
public final class CosignatureVerifier {

    static final byte COSIGNATURE_V1 = 0x04;

    private final String name;
    private final byte[] keyId;
    private final PublicKey key;
    private final String verifierKey;

    private CosignatureVerifier(String name, byte[] keyId, PublicKey key, String verifierKey) {
        this.name = name;
        this.keyId = keyId;
        this.key = key;
        this.verifierKey = verifierKey;
    }

    /** A witness's verifier key: {@code <name>+<hex key id>+base64(0x04 ‖ 32-byte Ed25519 public key)}. */
    public static CosignatureVerifier parse(String verifierKey) {
        String[] parts = verifierKey.strip().split("\\+", 3); // base64 may hold "+" too
        if (parts.length != 3 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("a witness verifier key reads <name>+<key id>+<base64 key>");
        }
        byte[] typed;
        try {
            typed = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the witness key is not base64");
        }
        if (typed.length != 33 || typed[0] != COSIGNATURE_V1) {
            throw new IllegalArgumentException("the witness key is not an Ed25519 cosignature/v1 key (type 0x04)");
        }
        byte[] raw = Arrays.copyOfRange(typed, 1, 33);
        byte[] id = keyId(parts[0], raw);
        if (!HexFormat.of().formatHex(id).equals(parts[1])) {
            throw new IllegalArgumentException("the witness key's id " + parts[1] + " does not match its key");
        }
        try {
            return new CosignatureVerifier(parts[0], id, NoteSigner.publicKeyFromRaw(raw), verifierKey.strip());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    public String name() {
        return name;
    }

    public String verifierKey() {
        return verifierKey;
    }

    /**
     * The time (Unix seconds) of this witness's valid cosignature on the note, or empty when the note carries none;
     * throws when a line by this witness's key does not verify.
     */
    public Optional<Long> verify(String note) {
        int split = note.indexOf("\n\n");
        if (split < 0) {
            throw new InvalidNoteException("no blank line between the note text and its signatures");
        }
        String text = note.substring(0, split + 1);
        String prefix = "\u2014 " + name + " ";
        for (String line : note.substring(split + 2).split("\n")) {
            if (line.startsWith(prefix)) {
                Optional<Long> at = verifyLine(text, line.substring(prefix.length()));
                if (at.isPresent()) {
                    return at;
                }
            }
        }
        return Optional.empty();
    }

    /** Checks one cosignature line's base64 part over the checkpoint text; empty when made by another key. */
    public Optional<Long> verifyLine(String checkpointText, String base64) {
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidNoteException("a cosignature of " + name + " is not base64");
        }
        if (blob.length != 4 + 8 + 64 || !MessageDigest.isEqual(Arrays.copyOf(blob, 4), keyId)) {
            return Optional.empty();
        }
        long timestamp = ByteBuffer.wrap(blob, 4, 8).getLong();
        byte[] message = ("cosignature/v1\ntime " + Long.toUnsignedString(timestamp) + "\n" + checkpointText)
                .getBytes(StandardCharsets.UTF_8);
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update(message);
            if (signature.verify(Arrays.copyOfRange(blob, 12, 76))) {
                return Optional.of(timestamp);
            }
        } catch (GeneralSecurityException e) {
            throw new InvalidNoteException("a cosignature could not be checked: " + e.getMessage());
        }
        throw new InvalidNoteException("the cosignature of " + name + " does not match the checkpoint");
    }

    static byte[] keyId(String name, byte[] rawPublicKey) {
        MessageDigest md = Sha256.digest();
        md.update(name.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
        md.update(COSIGNATURE_V1);
        md.update(rawPublicKey);
        return Arrays.copyOf(md.digest(), 4);
    }
}
