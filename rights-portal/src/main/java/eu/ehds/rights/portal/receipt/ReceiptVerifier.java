package eu.ehds.rights.portal.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ehds.rights.ledger.checkpoint.Checkpoint;
import eu.ehds.rights.ledger.checkpoint.CosignatureVerifier;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.ledger.log.MerkleHashes;
import eu.ehds.rights.ledger.log.ProofVerifier;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks a receipt without trusting whoever hands it over: only the log's public key is needed (pinned by the
 * person checking, or published by the ledger and anchored). Steps, in order; each can fail on its own:
 * <ol>
 *   <li>{@code signature}: the receipt is signed by that key;</li>
 *   <li>{@code checkpoint}: the checkpoint note is signed by that key and states a tree size and root;</li>
 *   <li>{@code leaf}: the entry's leaf hash is SHA-256(0x00 || leaf bytes) (RFC 9162);</li>
 *   <li>{@code inclusion}: the audit path leads from that leaf hash to the checkpoint's root;</li>
 *   <li>{@code event}: the event shown is the one in the leaf bytes.</li>
 * </ol>
 *
 * <pre>{@code
 * ReceiptVerifier.Report report = new ReceiptVerifier("rights-ledger.localhost/log", publicKey).verify(json);
 * }</pre>
 */
public final class ReceiptVerifier {

    public static final String CONTEXT = "rights-ledger receipt v1\n";

    /**
     * One step of the check: {@code detail} in English (the command line prints it), {@code code} and {@code args}
     * for pages to say it in their language ({@code verify.detail.<code>}).
     */
    public record Step(String name, boolean ok, String detail, String code, List<String> args) {

        public Step(String name, boolean ok, String detail, String code, Object... args) {
            this(name, ok, detail, code, java.util.Arrays.stream(args).map(String::valueOf).toList());
        }
    }

    /** The outcome: every step, and what the receipt states when it could be read. */
    public record Report(List<Step> steps, Long leafIndex, Long treeSize, JsonNode event) {
        public boolean valid() {
            return !steps.isEmpty() && steps.stream().allMatch(Step::ok);
        }
    }

    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String origin;
    private final NoteVerifier verifier;
    private final List<CosignatureVerifier> witnesses;

    /** @param publicKey the log's raw 32-byte Ed25519 key, as trusted by whoever checks */
    public ReceiptVerifier(String origin, byte[] publicKey) {
        this(new NoteVerifier(origin, publicKey));
    }

    /** @param keys the log's keys as trusted by whoever checks, each for the tree sizes it signed */
    public ReceiptVerifier(NoteVerifier keys) {
        this(keys, List.of());
    }

    /**
     * @param witnesses witnesses whose cosignature (C2SP tlog-cosignature) the receipt's checkpoint must carry, each
     *                  of them: the checker then needs no trust in the log alone for that checkpoint
     */
    public ReceiptVerifier(NoteVerifier keys, List<CosignatureVerifier> witnesses) {
        this.origin = keys.keyName();
        this.verifier = keys;
        this.witnesses = List.copyOf(witnesses);
    }

    public Report verify(String receiptJson) {
        List<Step> steps = new ArrayList<>();
        ObjectNode receipt;
        try {
            JsonNode parsed = JSON.readTree(receiptJson);
            if (!(parsed instanceof ObjectNode o) || !"rights-ledger/receipt".equals(o.path("type").asText())) {
                steps.add(new Step("format", false, "not a rights-ledger receipt (JSON with type rights-ledger/receipt)",
                        "not-receipt"));
                return new Report(steps, null, null, null);
            }
            receipt = o;
        } catch (IOException e) {
            steps.add(new Step("format", false, "not JSON", "not-json"));
            return new Report(steps, null, null, null);
        }
        long leafIndex = receipt.path("entry").path("leafIndex").asLong(-1);
        long treeSize = receipt.path("inclusionProof").path("treeSize").asLong(-1);
        JsonNode event = receipt.path("event");

        boolean signed = SignedDocuments.verify(verifier, CONTEXT, receipt);
        steps.add(new Step("signature", signed, signed ? "signed by " + origin
                : "the receipt is not signed by the key of " + origin + ", or was changed after signing",
                signed ? "signature-ok" : "signature-bad", origin));

        Checkpoint checkpoint = null;
        try {
            checkpoint = verifier.verify(receipt.path("checkpoint").asText());
            boolean sameSize = checkpoint.treeSize() == treeSize;
            steps.add(new Step("checkpoint", sameSize, sameSize ? "signed checkpoint of tree size " + treeSize
                    : "the checkpoint's tree size " + checkpoint.treeSize() + " is not the proof's " + treeSize,
                    sameSize ? "checkpoint-ok" : "checkpoint-size", treeSize, checkpoint.treeSize()));
        } catch (RuntimeException e) {
            steps.add(new Step("checkpoint", false, "the checkpoint is not a note signed by " + origin + ": "
                    + e.getMessage(), "checkpoint-bad", origin));
        }
        for (CosignatureVerifier witness : witnesses) {
            boolean cosigned;
            try {
                cosigned = witness.verify(receipt.path("checkpoint").asText()).isPresent();
            } catch (RuntimeException e) {
                cosigned = false;
            }
            steps.add(new Step("witness", cosigned, cosigned ? "the checkpoint is cosigned by witness "
                    + witness.name() : "the checkpoint carries no valid cosignature by witness " + witness.name(),
                    cosigned ? "witness-ok" : "witness-missing", witness.name()));
        }

        byte[] leafData = null;
        try {
            leafData = Base64.getDecoder().decode(receipt.path("entry").path("leafData").asText());
            byte[] computed = MerkleHashes.leafHash(leafData);
            byte[] stated = HEX.parseHex(receipt.path("entry").path("leafHash").asText());
            boolean same = MessageDigest.isEqual(computed, stated);
            steps.add(new Step("leaf", same, same ? "leaf hash " + HEX.formatHex(computed)
                    : "the leaf hash does not match the leaf bytes", same ? "leaf-ok" : "leaf-mismatch",
                    HEX.formatHex(computed)));
            List<byte[]> path = new ArrayList<>();
            receipt.path("inclusionProof").path("auditPath").forEach(h -> path.add(HEX.parseHex(h.asText())));
            boolean included = checkpoint != null
                    && ProofVerifier.verifyInclusion(computed, leafIndex, treeSize, path, checkpoint.rootHash());
            steps.add(new Step("inclusion", included, included
                    ? "entry " + leafIndex + " is in the log of tree size " + treeSize
                    : "the audit path does not lead from the leaf to the checkpoint's root",
                    included ? "inclusion-ok" : "inclusion-bad", leafIndex, treeSize));
        } catch (IllegalArgumentException e) {
            steps.add(new Step("leaf", false, "the leaf bytes or hashes are not well-formed", "leaf-malformed"));
        }

        if (leafData != null) {
            boolean same;
            try {
                same = JSON.readTree(leafData).equals(event);
            } catch (IOException e) {
                same = false;
            }
            steps.add(new Step("event", same, same ? "the event shown is the one recorded"
                    : "the event shown differs from the recorded leaf bytes", same ? "event-ok" : "event-differs"));
        }
        return new Report(List.copyOf(steps), leafIndex, treeSize, event);
    }
}
