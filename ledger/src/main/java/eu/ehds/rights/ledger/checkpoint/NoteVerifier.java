package eu.ehds.rights.ledger.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

/**
 * Checks a C2SP signed note against one Ed25519 key, the way a witness or auditor would.
 *
 * <pre>{@code
 * NoteVerifier verifier = new NoteVerifier("ledger.example/log", rawPublicKey);
 * Checkpoint checkpoint = verifier.verify(noteText);   // throws if the signature is missing or wrong
 * }</pre>
 */
public final class NoteVerifier {

    private final String keyName;
    private final PublicKey key;
    private final byte[] keyId;

    public NoteVerifier(String keyName, byte[] rawPublicKey) {
        this.keyName = keyName;
        this.keyId = NoteSigner.keyId(keyName, rawPublicKey);
        try {
            this.key = NoteSigner.publicKeyFromRaw(rawPublicKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /** Checks a signature made by {@link NoteSigner#signBytes}. */
    public boolean verifyBytes(byte[] message, byte[] signatureBytes) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update(message);
            return signature.verify(signatureBytes);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Verifies the signature and parses the checkpoint body. */
    public Checkpoint verify(String signedNote) {
        return Checkpoint.parse(verifyText(signedNote));
    }

    /** Verifies the signature of any signed note and returns its text (up to and including its last newline). */
    public String verifyText(String signedNote) {
        int split = signedNote.lastIndexOf("\n\n");
        if (split < 0) {
            throw new InvalidNoteException("no blank line between the note text and its signatures");
        }
        String text = signedNote.substring(0, split + 1);
        String[] signatureLines = signedNote.substring(split + 2).split("\n");
        for (String line : signatureLines) {
            String prefix = "\u2014 " + keyName + " ";
            if (!line.startsWith(prefix)) {
                continue;
            }
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(line.substring(prefix.length()));
            } catch (IllegalArgumentException e) {
                throw new InvalidNoteException("signature line is not base64");
            }
            if (blob.length != 68 || !MessageDigest.isEqual(Arrays.copyOf(blob, 4), keyId)) {
                continue;
            }
            try {
                Signature signature = Signature.getInstance("Ed25519");
                signature.initVerify(key);
                signature.update(text.getBytes(StandardCharsets.UTF_8));
                if (signature.verify(Arrays.copyOfRange(blob, 4, 68))) {
                    return text;
                }
            } catch (GeneralSecurityException e) {
                throw new InvalidNoteException("signature could not be checked: " + e.getMessage());
            }
            throw new InvalidNoteException("the signature of " + keyName + " does not match the note");
        }
        throw new InvalidNoteException("the note carries no signature by " + keyName);
    }
}
