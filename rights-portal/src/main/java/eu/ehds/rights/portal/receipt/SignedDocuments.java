package eu.ehds.rights.portal.receipt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.ledger.log.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * JSON documents signed by the log's key (filter certificates, receipts): Ed25519 over a context line naming the
 * kind of document, then the canonical JSON of the document without its {@code signature} member. The context line
 * keeps a signature of one kind from being passed off as another.
 *
 * <pre>{@code
 * SignedDocuments.sign(signer, "rights-ledger receipt v1\n", receipt);     // adds "signature"
 * boolean ok = SignedDocuments.verify(verifier, "rights-ledger receipt v1\n", receipt);
 * }</pre>
 */
public final class SignedDocuments {

    private SignedDocuments() {
    }

    public static void sign(NoteSigner signer, String context, ObjectNode document) {
        document.remove("signature");
        byte[] signature = signer.signBytes(message(context, document));
        ObjectNode s = document.putObject("signature");
        s.put("algorithm", "Ed25519");
        s.put("keyName", signer.keyName());
        s.put("publicKey", Base64.getEncoder().encodeToString(signer.publicKey()));
        s.put("value", Base64.getEncoder().encodeToString(signature));
    }

    /** Whether the document's {@code signature.value} is the verifier's key's signature of the rest of it. */
    public static boolean verify(NoteVerifier verifier, String context, ObjectNode document) {
        if (!document.path("signature").path("value").isTextual()) {
            return false;
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(document.path("signature").path("value").asText());
        } catch (IllegalArgumentException e) {
            return false;
        }
        ObjectNode unsigned = document.deepCopy();
        unsigned.remove("signature");
        return verifier.verifyBytes(message(context, unsigned), signature);
    }

    private static byte[] message(String context, ObjectNode unsigned) {
        byte[] prefix = context.getBytes(StandardCharsets.UTF_8);
        byte[] canonical = CanonicalJson.write(unsigned);
        byte[] message = new byte[prefix.length + canonical.length];
        System.arraycopy(prefix, 0, message, 0, prefix.length);
        System.arraycopy(canonical, 0, message, prefix.length, canonical.length);
        return message;
    }
}
