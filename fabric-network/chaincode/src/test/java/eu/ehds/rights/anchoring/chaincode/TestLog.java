package eu.ehds.rights.anchoring.chaincode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** A tiny RFC 9162 log and an Ed25519 note signer, as the ledger would present them to the chaincode. */
final class TestLog {

    final String origin;
    KeyPair keys;
    final List<byte[]> leaves = new ArrayList<>();

    TestLog(String origin) {
        this.origin = origin;
        this.keys = newKeys();
    }

    /** Signs with a new key from now on, as the ledger does after a key rotation; returns the retired key. */
    KeyPair rotate() {
        KeyPair retired = keys;
        keys = newKeys();
        return retired;
    }

    private static KeyPair newKeys() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    TestLog append(int count) {
        for (int i = 0; i < count; i++) {
            MessageDigest sha = ConsistencyProof.sha256();
            sha.update((byte) 0);
            sha.update((origin + "/" + leaves.size()).getBytes(StandardCharsets.UTF_8));
            leaves.add(sha.digest());
        }
        return this;
    }

    String publicKey() {
        byte[] encoded = keys.getPublic().getEncoded();
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    }

    byte[] root(long size) {
        return root(leaves.subList(0, (int) size));
    }

    /** The signed checkpoint note at a tree size. */
    String note(long size) {
        return sign(origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root(size)) + "\n");
    }

    String sign(String text) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(keys.getPrivate());
            signature.update(text.getBytes(StandardCharsets.UTF_8));
            byte[] raw = Base64.getDecoder().decode(publicKey());
            byte[] blob = new byte[68];
            System.arraycopy(CheckpointNote.keyId(origin, raw), 0, blob, 0, 4);
            System.arraycopy(signature.sign(), 0, blob, 4, 64);
            return text + "\n\u2014 " + origin + " " + Base64.getEncoder().encodeToString(blob) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 9162 2.1.4.1 PROOF(m, D[n]). */
    List<byte[]> consistencyProof(long m, long n) {
        return subproof((int) m, leaves.subList(0, (int) n), true);
    }

    static List<byte[]> subproof(int m, List<byte[]> d, boolean complete) {
        int n = d.size();
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!complete) {
                out.add(root(d));
            }
            return out;
        }
        int k = Integer.highestOneBit(n - 1);
        if (m <= k) {
            out.addAll(subproof(m, d.subList(0, k), complete));
            out.add(root(d.subList(k, n)));
        } else {
            out.addAll(subproof(m - k, d.subList(k, n), false));
            out.add(root(d.subList(0, k)));
        }
        return out;
    }

    static byte[] root(List<byte[]> d) {
        if (d.isEmpty()) {
            return ConsistencyProof.sha256().digest();
        }
        if (d.size() == 1) {
            return d.get(0);
        }
        int k = Integer.highestOneBit(d.size() - 1);
        return ConsistencyProof.node(root(d.subList(0, k)), root(d.subList(k, d.size())));
    }
}
