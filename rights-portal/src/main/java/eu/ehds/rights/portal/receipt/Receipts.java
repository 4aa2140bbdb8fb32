package eu.ehds.rights.portal.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.checkpoint.Checkpoint;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.log.CanonicalJson;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.ledger.store.StoredLeaves;
import eu.ehds.rights.portal.ledger.Cosignatures;
import eu.ehds.rights.portal.ledger.LogKeys;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Receipts of recorded events: the entry's exact leaf bytes, an inclusion proof under a signed checkpoint, the
 * whole signed by the log's key, so that the person can later prove what was recorded, and when, without trusting
 * the ledger (see {@link ReceiptVerifier}).
 *
 * <pre>{@code
 * ObjectNode receipt = receipts.issue(leafIndex);
 * }</pre>
 */
@Service
public class Receipts {

    /** An entry of the log: its leaf bytes and the event they encode. */
    public record Entry(long leafIndex, byte[] leafData, JsonNode event) {
    }

    private static final HexFormat HEX = HexFormat.of();

    private final VerifiableLog log;
    private final StoredLeaves leaves;
    private final NoteSigner signer;
    private final LogKeys keys;
    private final Cosignatures cosignatures;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    Receipts(VerifiableLog log, StoredLeaves leaves, NoteSigner signer, LogKeys keys, Cosignatures cosignatures,
             Clock clock) {
        this.cosignatures = cosignatures;
        this.keys = keys;
        this.log = log;
        this.leaves = leaves;
        this.signer = signer;
        this.clock = clock;
    }

    public Optional<Entry> entry(long leafIndex) {
        if (leafIndex < 0 || leafIndex >= log.refresh()) {
            return Optional.empty();
        }
        List<Entry> found = new ArrayList<>(1);
        leaves.forEach(leafIndex, leafIndex + 1, leaf -> {
            if (leaf.leafBytes() != null) {
                try {
                    found.add(new Entry(leaf.leafIndex(), leaf.leafBytes(), json.readTree(leaf.leafBytes())));
                } catch (IOException e) {
                    throw new IllegalStateException("a stored leaf is not JSON", e);
                }
            }
        });
        return found.stream().findFirst();
    }

    /**
     * A signed receipt of the entry at {@code leafIndex}: under the latest checkpoint a witness cosigned when it
     * covers the entry (the receipt then carries the cosignature), else under the latest checkpoint.
     */
    public ObjectNode issue(long leafIndex) {
        Entry entry = entry(leafIndex).orElseThrow(() -> new NotFoundException("no entry " + leafIndex + " in the log"));
        VerifiableLog.SignedCheckpoint checkpoint = cosignatures.latest().filter(size -> size > leafIndex)
                .flatMap(log::issuedAt).orElseGet(log::checkpoint);
        String note = cosignatures.withCosignatures(checkpoint.treeSize(), checkpoint.note());
        ObjectNode receipt = json.createObjectNode();
        receipt.put("type", "rights-ledger/receipt");
        receipt.put("version", 1);
        receipt.put("issuedAt", clock.instant().toString());
        ObjectNode e = receipt.putObject("entry");
        e.put("leafIndex", leafIndex);
        e.put("leafData", Base64.getEncoder().encodeToString(entry.leafData()));
        e.put("leafHash", HEX.formatHex(log.leafHash(leafIndex)));
        receipt.set("event", entry.event());
        receipt.put("checkpoint", note);
        ObjectNode proof = receipt.putObject("inclusionProof");
        proof.put("treeSize", checkpoint.treeSize());
        ArrayNode path = proof.putArray("auditPath");
        log.inclusionProof(leafIndex, checkpoint.treeSize()).forEach(h -> path.add(HEX.formatHex(h)));
        ObjectNode key = receipt.putObject("log");
        key.put("origin", signer.keyName());
        key.put("publicKey", Base64.getEncoder().encodeToString(signer.publicKey()));
        SignedDocuments.sign(signer, ReceiptVerifier.CONTEXT, receipt);
        return receipt;
    }

    public String toJson(ObjectNode receipt) {
        return CanonicalJson.toString(receipt);
    }

    /**
     * Checks a receipt with this ledger's key, then that the log today still has the same root at the receipt's tree
     * size: a receipt can prove a record, and the check proves the log was not rewritten since.
     */
    public ReceiptVerifier.Report verifyHere(String receiptJson) {
        ReceiptVerifier.Report report = new ReceiptVerifier(keys.verifier()).verify(receiptJson);
        if (report.treeSize() == null || report.treeSize() < 1) {
            return report;
        }
        List<ReceiptVerifier.Step> steps = new ArrayList<>(report.steps());
        long size = log.refresh();
        boolean same = false;
        String detail;
        String code;
        if (report.treeSize() > size) {
            detail = "this log has only " + size + " entries, fewer than the receipt's tree size";
            code = "log-short";
        } else {
            try {
                byte[] stated = Checkpoint.parse(receiptRoot(receiptJson)).rootHash();
                same = MessageDigest.isEqual(stated, log.root(report.treeSize()));
                detail = same ? "this log still has the same root at tree size " + report.treeSize()
                        : "this log's root at tree size " + report.treeSize() + " differs: it was rewritten";
                code = same ? "log-same" : "log-rewritten";
            } catch (RuntimeException e) {
                detail = "the receipt's checkpoint could not be read";
                code = "log-unreadable";
            }
        }
        steps.add(new ReceiptVerifier.Step("log", same, detail, code, report.treeSize(), size));
        return new ReceiptVerifier.Report(List.copyOf(steps), report.leafIndex(), report.treeSize(), report.event());
    }

    private String receiptRoot(String receiptJson) {
        try {
            String note = json.readTree(receiptJson).path("checkpoint").asText();
            return note.substring(0, note.lastIndexOf("\n\n") + 1);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
