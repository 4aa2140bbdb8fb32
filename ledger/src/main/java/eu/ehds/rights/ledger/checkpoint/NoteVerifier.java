package eu.ehds.rights.ledger.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Checks a C2SP signed note the way a witness or auditor would, against a log's key or the history of its keys: after
 * a rotation, a checkpoint verifies only by the key that signed its tree size, so a retired key cannot sign a
 * checkpoint of a size it never covered.
 *
 * <pre>{@code
 * NoteVerifier verifier = new NoteVerifier("ledger.example/log", rawPublicKey);
 * Checkpoint checkpoint = verifier.verify(noteText);   // throws if the signature is missing or wrong
 * NoteVerifier allKeys = new NoteVerifier("ledger.example/log", history);   // List<LogKey>, oldest first
 * }</pre>
 */
public final class NoteVerifier {

    private record Known(LogKey key, PublicKey publicKey, byte[] keyId) {
    }

    /** A note's text and the key whose signature it carries. */
    private record Signed(String text, LogKey key) {
    }

    private final String keyName;
    private final List<Known> keys = new ArrayList<>();

    public NoteVerifier(String keyName, byte[] rawPublicKey) {
        this(keyName, List.of(LogKey.only(rawPublicKey)));
    }

    public NoteVerifier(String keyName, List<LogKey> history) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("at least one key");
        }
        this.keyName = keyName;
        for (LogKey key : history) {
            byte[] raw = key.rawPublicKey();
            try {
                keys.add(new Known(key, NoteSigner.publicKeyFromRaw(raw), NoteSigner.keyId(keyName, raw)));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("not an Ed25519 public key", e);
            }
        }
    }

    public String keyName() {
        return keyName;
    }

    /** The keys accepted, oldest first. */
    public List<LogKey> keys() {
        return keys.stream().map(Known::key).toList();
    }

    /** Checks a signature made by {@link NoteSigner#signBytes} with any of the keys. */
    public boolean verifyBytes(byte[] message, byte[] signatureBytes) {
        for (Known known : keys) {
            try {
                Signature signature = Signature.getInstance("Ed25519");
                signature.initVerify(known.publicKey());
                signature.update(message);
                if (signature.verify(signatureBytes)) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // not this key's signature
            }
        }
        return false;
    }

    /** Verifies the signature, parses the checkpoint body, and checks that the key signed that tree size. */
    public Checkpoint verify(String signedNote) {
        Signed signed = signed(signedNote);
        Checkpoint checkpoint = Checkpoint.parse(signed.text());
        if (!signed.key().signs(checkpoint.treeSize())) {
            throw new InvalidNoteException("the checkpoint of tree size " + checkpoint.treeSize() + " is signed by key "
                    + signed.key().publicKey() + ", which signed " + signed.key().period() + " only");
        }
        return checkpoint;
    }

    /** Verifies the signature of any signed note and returns its text (up to and including its last newline). */
    public String verifyText(String signedNote) {
        return signed(signedNote).text();
    }

    private Signed signed(String signedNote) {
        int split = signedNote.lastIndexOf("\n\n");
        if (split < 0) {
            throw new InvalidNoteException("no blank line between the note text and its signatures");
        }
        String text = signedNote.substring(0, split + 1);
        String prefix = "\u2014 " + keyName + " ";
        for (String line : signedNote.substring(split + 2).split("\n")) {
            if (!line.startsWith(prefix)) {
                continue;
            }
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(line.substring(prefix.length()));
            } catch (IllegalArgumentException e) {
                throw new InvalidNoteException("signature line is not base64");
            }
            if (blob.length != 68) {
                continue;
            }
            for (Known known : keys) {
                if (!MessageDigest.isEqual(Arrays.copyOf(blob, 4), known.keyId())) {
                    continue;
                }
                try {
                    Signature signature = Signature.getInstance("Ed25519");
                    signature.initVerify(known.publicKey());
                    signature.update(text.getBytes(StandardCharsets.UTF_8));
                    if (signature.verify(Arrays.copyOfRange(blob, 4, 68))) {
                        return new Signed(text, known.key());
                    }
                } catch (GeneralSecurityException e) {
                    throw new InvalidNoteException("signature could not be checked: " + e.getMessage());
                }
                throw new InvalidNoteException("the signature of " + keyName + " does not match the note");
            }
        }
        throw new InvalidNoteException("the note carries no signature by " + keyName
                + (keys.size() == 1 ? "" : " with any of its " + keys.size() + " keys"));
    }
}
