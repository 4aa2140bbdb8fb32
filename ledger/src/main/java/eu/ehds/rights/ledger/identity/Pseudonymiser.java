package eu.ehds.rights.ledger.identity;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a NIR into the ledger's pseudonym: the first 128 bits of HMAC-SHA256(secret, canonical NIR), in hex.
 * 128 bits keep collisions negligible for a population of 10^8 while halving storage.
 *
 * <pre>{@code
 * Pseudonymiser p = new Pseudonymiser(secretKeyBytes);
 * String person = p.pseudonymise(Nir.parse(input));   // 32 hex characters
 * }</pre>
 */
public final class Pseudonymiser {

    public static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public Pseudonymiser(byte[] secret) {
        if (secret == null || secret.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the pseudonymisation key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    public String pseudonymise(Nir nir) {
        return HexFormat.of().formatHex(pseudonymBytes(nir));
    }

    /** The pseudonym as its 16 bytes (what {@link #pseudonymise} writes in hex). */
    public byte[] pseudonymBytes(Nir nir) {
        byte[] digest = macs.get().doFinal(nir.canonical().getBytes(StandardCharsets.US_ASCII));
        return java.util.Arrays.copyOf(digest, 16);
    }

    /** True when the text has the shape of a pseudonym (so that callers can accept either form). */
    /**
     * A fingerprint of the key (HMAC of a fixed label under it), for nodes to check they share the key without
     * revealing it: a node with another key would store opt-outs under pseudonyms the others never compute.
     */
    public String keyFingerprint() {
        return java.util.HexFormat.of().formatHex(macs.get().doFinal(
                "rights-ledger pseudonymisation key fingerprint".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public static boolean isPseudonym(String text) {
        return text != null && text.matches("[0-9a-f]{32}");
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
