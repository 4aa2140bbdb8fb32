package eu.ehds.rights.portal.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ehds.rights.ledger.anchoring.AnchoringPort;
import eu.ehds.rights.ledger.api.anchoring.CheckpointAnchored;
import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.checkpoint.LogKey;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.log.CanonicalJson;
import eu.ehds.rights.ledger.log.LogStore;
import eu.ehds.rights.ledger.log.MerkleHashes;
import eu.ehds.rights.ledger.log.ProofVerifier;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.ledger.store.StoredLeaves;
import eu.ehds.rights.portal.anchoring.AnchorChecks;
import eu.ehds.rights.portal.anchoring.AnchorVerification;
import eu.ehds.rights.portal.anchoring.SharedAnchoring;
import eu.ehds.rights.portal.ledger.LogKeys;
import eu.ehds.rights.portal.receipt.Receipts;
import eu.ehds.rights.portal.web.PortalPage;
import eu.ehds.rights.projections.anchoring.AnchorRecordsProjection;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Auditors' pages: the latest checkpoints and anchors; the check of one entry (its leaf rebuilt from the event
 * store, its inclusion under the latest checkpoint, and its anchor on the chain through the auditor organisation's
 * peer); and an audit bundle of a range of entries to check offline.
 */
@Controller
@PortalPage
@RequestMapping("/audit")
class AuditPagesController {

    static final int MAX_BUNDLE = 10_000;
    private static final HexFormat HEX = HexFormat.of();

    private final VerifiableLog log;
    private final LogStore logStore;
    private final StoredLeaves leaves;
    private final NoteSigner signer;
    private final AnchoringPort anchoring;
    private final AnchorChecks anchorChecks;
    private final AnchorRecordsProjection anchors;
    private final Receipts receipts;
    private final ObjectMapper json = new ObjectMapper();
    private final LogKeys logKeys;

    AuditPagesController(VerifiableLog log, LogStore logStore, StoredLeaves leaves, NoteSigner signer,
                         AnchoringPort anchoring, AnchorChecks anchorChecks, AnchorRecordsProjection anchors,
                         Receipts receipts, LogKeys logKeys) {
        this.logKeys = logKeys;
        this.log = log;
        this.logStore = logStore;
        this.leaves = leaves;
        this.signer = signer;
        this.anchoring = anchoring;
        this.anchorChecks = anchorChecks;
        this.anchors = anchors;
        this.receipts = receipts;
    }

    record CheckpointRow(long treeSize, String rootHash) {
    }

    /** A step of an entry's check. */
    record Step(String name, boolean ok, String detail) {
    }

    @GetMapping
    String home(Model model) {
        model.addAttribute("checkpoint", log.checkpoint());
        model.addAttribute("checkpoints", logStore.latestCheckpoints(20).stream()
                .map(c -> new CheckpointRow(c.treeSize(), HEX.formatHex(c.rootHash()))).toList());
        model.addAttribute("anchored", anchoring.enabled());
        model.addAttribute("latestAnchor", anchoring.latestAnchor().orElse(null));
        model.addAttribute("anchoringDetail", anchoring.description()); // the operator's detail, in the log's words
        model.addAttribute("anchoringForked", anchoring instanceof SharedAnchoring shared && shared.status().forked());
        model.addAttribute("anchors", anchors.latest(20));
        model.addAttribute("publicKey", Base64.getEncoder().encodeToString(signer.publicKey()));
        model.addAttribute("origin", signer.keyName());
        model.addAttribute("keys", logKeys.history());
        return "audit/home";
    }

    @GetMapping("/entry")
    String entry(@RequestParam long leafIndex, Model model) {
        long size = log.refresh();
        if (leafIndex < 0 || leafIndex >= size) { // said in words, with the log's size
            throw new InvalidRequestException("audit.no-such-entry", "the log holds " + size + " entries (0 to "
                    + (size - 1) + "): there is no entry " + leafIndex, String.valueOf(leafIndex), String.valueOf(size),
                    String.valueOf(Math.max(0, size - 1)));
        }
        Receipts.Entry entry = receipts.entry(leafIndex)
                .orElseThrow(() -> new NotFoundException("no entry " + leafIndex + " in the log"));
        List<Step> steps = new ArrayList<>();
        byte[] rebuilt = MerkleHashes.leafHash(entry.leafData());
        byte[] recorded = log.leafHash(leafIndex);
        steps.add(new Step("leaf", MessageDigest.isEqual(rebuilt, recorded), HEX.formatHex(rebuilt)));
        VerifiableLog.SignedCheckpoint checkpoint = log.checkpoint();
        boolean included = ProofVerifier.verifyInclusion(recorded, leafIndex, checkpoint.treeSize(),
                log.inclusionProof(leafIndex, checkpoint.treeSize()), checkpoint.rootHash());
        steps.add(new Step("inclusion", included, Long.toString(checkpoint.treeSize())));
        model.addAttribute("entry", entry);
        model.addAttribute("event", CanonicalJson.toString(entry.event()));
        model.addAttribute("steps", steps);
        if (anchorChecks.configured()) {
            AnchorVerification.Report report;
            try {
                report = anchorChecks.verifyEntry(leafIndex);
            } catch (ConflictException | IllegalStateException e) {
                report = new AnchorVerification.Report("entry " + leafIndex, false,
                        List.of(new AnchorVerification.Step("anchor", false, e.getMessage())));
            }
            model.addAttribute("anchorReport", report);
        }
        return "audit/entry";
    }

    /**
     * A zip to check entries {@code [start, end)} offline: each entry's exact leaf bytes with its inclusion proof under
     * the latest checkpoint, the checkpoints issued and the anchors recorded since {@code start}, the public key, and
     * how to check them.
     */
    @GetMapping("/bundle")
    ResponseEntity<StreamingResponseBody> bundle(@RequestParam long start, @RequestParam long end) {
        VerifiableLog.SignedCheckpoint checkpoint = log.checkpoint();
        if (start < 0 || end <= start || end > checkpoint.treeSize()) {
            throw new InvalidRequestException("the range must lie within the log's " + checkpoint.treeSize()
                    + " entries, start before end");
        }
        if (end - start > MAX_BUNDLE) {
            throw new InvalidRequestException("at most " + MAX_BUNDLE + " entries per bundle");
        }
        StreamingResponseBody body = out -> {
            ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
            Writer text = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
            put(zip, text, "README.txt", readme(start, end, checkpoint.treeSize()));
            put(zip, text, "checkpoint.txt", checkpoint.note());
            ObjectNode key = json.createObjectNode().put("origin", signer.keyName())
                    .put("algorithm", "Ed25519").put("publicKey", Base64.getEncoder().encodeToString(signer.publicKey()));
            put(zip, text, "public-key.json", CanonicalJson.toString(key) + "\n");
            ArrayNode history = json.createObjectNode().put("origin", signer.keyName()).putArray("keys");
            for (LogKey k : logKeys.history()) {
                history.addObject().put("algorithm", "Ed25519").put("publicKey", k.publicKey())
                        .put("firstTreeSize", k.firstTreeSize()).put("lastTreeSize", k.lastTreeSize())
                        .put("current", k.current());
            }
            put(zip, text, "keys.json", history.toString() + "\n");
            zip.putNextEntry(new ZipEntry("entries.jsonl"));
            leaves.forEach(start, end, leaf -> {
                ObjectNode line = json.createObjectNode();
                line.put("leafIndex", leaf.leafIndex());
                line.put("leafData", leaf.leafBytes() == null ? null
                        : Base64.getEncoder().encodeToString(leaf.leafBytes()));
                line.put("leafHash", HEX.formatHex(log.leafHash(leaf.leafIndex())));
                ArrayNode path = line.putArray("auditPath");
                log.inclusionProof(leaf.leafIndex(), checkpoint.treeSize()).forEach(h -> path.add(HEX.formatHex(h)));
                write(text, CanonicalJson.toString(line) + "\n");
            });
            text.flush();
            zip.closeEntry();
            StringBuilder checkpoints = new StringBuilder();
            for (LogStore.StoredCheckpoint c : logStore.checkpointsBetween(start + 1, checkpoint.treeSize())) {
                checkpoints.append(CanonicalJson.toString(json.createObjectNode().put("treeSize", c.treeSize())
                        .put("note", c.note()))).append('\n');
            }
            put(zip, text, "checkpoints.jsonl", checkpoints.toString());
            ArrayNode anchored = json.createArrayNode();
            for (CheckpointAnchored a : anchors.between(start + 1, Long.MAX_VALUE)) {
                anchored.add(json.createObjectNode().put("treeSize", a.treeSize()).put("rootHash", a.rootHash())
                        .put("network", a.network()).put("transactionId", a.transactionId())
                        .put("blockNumber", a.blockNumber()).put("recordedAt", a.recordedAt().toString()));
            }
            put(zip, text, "anchors.json", CanonicalJson.toString(anchored) + "\n");
            zip.finish();
        };
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/zip"))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("audit-bundle-" + start + "-" + end + ".zip").build().toString())
                .body(body);
    }

    private static void put(ZipOutputStream zip, Writer text, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        text.write(content);
        text.flush();
        zip.closeEntry();
    }

    private static void write(Writer text, String line) {
        try {
            text.write(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readme(long start, long end, long treeSize) {
        return """
                Audit bundle of the rights ledger %s: entries [%d, %d) of a log of %d entries.

                checkpoint.txt    the signed checkpoint (C2SP tlog-checkpoint, Ed25519 signed note) of size %d
                public-key.json   the log's current Ed25519 public key (compare it with the one you trust)
                keys.json         every key that has signed the log's checkpoints, with the tree sizes each signed
                                  (a checkpoint verifies with the key of its size; earlier keys after a rotation)
                entries.jsonl     one entry a line: leafIndex, leafData (base64 of the exact leaf bytes: canonical
                                  JSON of the event), leafHash = SHA-256(0x00 || leaf bytes), auditPath (RFC 9162
                                  inclusion proof under the checkpoint)
                checkpoints.jsonl every checkpoint the ledger issued after entry %d (prove with consistency proofs
                                  from GET /api/v1/log/proof/consistency that the log only grew)
                anchors.json      the anchors recorded on Hyperledger Fabric since then (transaction id, block);
                                  check each with: java -jar rights-portal.jar verify-anchor --tree-size=N

                To check: verify the checkpoint's signature with the key of its tree size; for each entry, recompute the leaf
                hash from leafData and walk its audit path to the checkpoint's root hash.
                """.formatted(signer.keyName(), start, end, treeSize, treeSize, start);
    }
}
