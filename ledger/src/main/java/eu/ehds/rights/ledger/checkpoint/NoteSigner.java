package eu.ehds.rights.ledger.checkpoint;

import eu.ehds.rights.ledger.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Signs notes in the C2SP signed-note format with an Ed25519 key:
 * the note text, a blank line, then {@code — <key name> base64(key id || signature)}, where the key id is the
 * first 4 bytes of SHA-256(key name || "\n" || 0x01 || raw public key).
 *
 * <pre>{@code
 * NoteSigner signer = NoteSigner.fromSeed("ledger.example/log", seed32);
 * String signed = signer.sign("ledger.example/log\n42\n" + base64Root + "\n");
 * }</pre>
 */
public final class NoteSigner {

    static final byte ED25519_TYPE = 0x01;

    private final String keyName;
    private final PrivateKey privateKey;
    private final byte[] publicKey;
    private final byte[] keyId;

    private NoteSigner(String keyName, KeyPair pair) {
        if (keyName.isEmpty() || keyName.contains(" ") || keyName.contains("+") || keyName.contains("\n")) {
            throw new IllegalArgumentException("a key name has no spaces, '+' or newlines");
        }
        this.keyName = keyName;
        this.privateKey = pair.getPrivate();
        this.publicKey = rawPublicKey(pair.getPublic());
        this.keyId = keyId(keyName, publicKey);
    }

    /** Builds the signer from a 32-byte Ed25519 private key seed. */
    public static NoteSigner fromSeed(String keyName, byte[] seed) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 seed has 32 bytes");
        }
        try {
            // the JDK signs with the seed but cannot derive its public key: BouncyCastle does (RFC 8032, 5.1.5)
            byte[] raw = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed.clone()));
            return new NoteSigner(keyName, new KeyPair(publicKeyFromRaw(raw), privateKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }

    public static byte[] newSeed() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return seed;
    }

    public String keyName() {
        return keyName;
    }

    /** The raw 32-byte Ed25519 public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The verifier key string used by note tooling: {@code name+hex(key id)+base64(0x01 || public key)}. */
    public String verifierKey() {
        return verifierKey(keyName, publicKey);
    }

    /** The verifier key string of any Ed25519 key under a key name (e.g. a retired key of the log). */
    public static String verifierKey(String keyName, byte[] rawPublicKey) {
        byte[] typed = new byte[33];
        typed[0] = ED25519_TYPE;
        System.arraycopy(rawPublicKey, 0, typed, 1, 32);
        return keyName + "+" + HexFormat.of().formatHex(keyId(keyName, rawPublicKey)) + "+"
                + Base64.getEncoder().encodeToString(typed);
    }

    /** Signs note text (which ends with a newline) and returns the complete signed note. */
    public String sign(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("note text ends with a newline");
        }
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(text.getBytes(StandardCharsets.UTF_8));
            byte[] sig = signature.sign();
            byte[] blob = new byte[4 + sig.length];
            System.arraycopy(keyId, 0, blob, 0, 4);
            System.arraycopy(sig, 0, blob, 4, sig.length);
            return text + "\n\u2014 " + keyName + " " + Base64.getEncoder().encodeToString(blob) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a note", e);
        }
    }

    /**
     * Signs a document other than a note (e.g. a filter certificate). Callers prefix their bytes with a context
     * string of their own so that a signature can never be taken for another kind of document.
     */
    public byte[] signBytes(byte[] message) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign", e);
        }
    }

    static byte[] keyId(String keyName, byte[] rawPublicKey) {
        java.security.MessageDigest md = Sha256.digest();
        md.update(keyName.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
        md.update(ED25519_TYPE);
        md.update(rawPublicKey);
        return Arrays.copyOf(md.digest(), 4);
    }

    /** X.509 encoding of an Ed25519 key is a fixed 12-byte prefix followed by the raw key. */
    static byte[] rawPublicKey(PublicKey key) {
        byte[] encoded = key.getEncoded();
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }

    static PublicKey publicKeyFromRaw(byte[] raw) throws GeneralSecurityException {
        byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] encoded = new byte[prefix.length + raw.length];
        System.arraycopy(prefix, 0, encoded, 0, prefix.length);
        System.arraycopy(raw, 0, encoded, prefix.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new java.security.spec.X509EncodedKeySpec(encoded));
    }
}
