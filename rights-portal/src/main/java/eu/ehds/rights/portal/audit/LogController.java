package eu.ehds.rights.portal.audit;

import eu.ehds.rights.ledger.anchoring.AnchoringPort;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.ledger.store.StoredLeaves;
import eu.ehds.rights.portal.ledger.Cosignatures;
import eu.ehds.rights.portal.ledger.LedgerProperties;
import eu.ehds.rights.portal.ledger.LogKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The verifiable log, for anyone: signed checkpoints, the public key and proofs (hashes only); and, for
 * auditors, the entries themselves.
 */
@RestController
@RequestMapping("/api/v1/log")
@Tag(name = "Verifiable log")
class LogController {

    record PublicKeyResponse(String origin, String algorithm, String publicKey, String verifierKey) {
    }

    /** A key of the log and the tree sizes it signed ({@code lastTreeSize} null: the current key). */
    record KeyResponse(String algorithm, String publicKey, String verifierKey, long firstTreeSize, Long lastTreeSize,
                       boolean current) {
    }

    record KeysResponse(String origin, List<KeyResponse> keys) {
    }

    record InclusionResponse(long leafIndex, long treeSize, String leafHash, List<String> auditPath) {
    }

    record ConsistencyResponse(long first, long second, List<String> proof) {
    }

    record Entry(long leafIndex, String leafData, JsonNode event) {
    }

    private static final HexFormat HEX = HexFormat.of();
    private static final MediaType NOTE = new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8);

    private final VerifiableLog log;
    private final NoteSigner signer;
    private final LogKeys keys;
    private final Cosignatures cosignatures;
    private final StoredLeaves leaves;
    private final AnchoringPort anchoring;
    private final ObjectMapper json;
    private final int maxPage;

    LogController(VerifiableLog log, NoteSigner signer, LogKeys keys, Cosignatures cosignatures, StoredLeaves leaves,
                  AnchoringPort anchoring, ObjectMapper json, LedgerProperties properties) {
        this.cosignatures = cosignatures;
        this.log = log;
        this.signer = signer;
        this.keys = keys;
        this.leaves = leaves;
        this.anchoring = anchoring;
        this.json = json;
        this.maxPage = properties.maxEntriesPage();
    }

    @GetMapping(value = "/checkpoint", produces = "text/plain;charset=UTF-8")
    @Operation(summary = "The latest signed checkpoint (C2SP tlog-checkpoint signed note), or the one issued at "
            + "treeSize (stored checkpoints only: 404 names the nearest stored sizes), or with witnessed=true the "
            + "latest one a witness cosigned; witnesses' cosignatures (C2SP tlog-cosignature) follow the log's own")
    ResponseEntity<String> checkpoint(@RequestParam(required = false) Long treeSize,
                                      @RequestParam(defaultValue = "false") boolean witnessed) {
        VerifiableLog.SignedCheckpoint checkpoint;
        if (witnessed) {
            checkpoint = cosignatures.latest().flatMap(log::issuedAt)
                    .orElseThrow(() -> new eu.ehds.rights.ledger.api.common.NotFoundException(
                            "no checkpoint of this log has been cosigned by a witness yet"));
        } else if (treeSize == null) {
            checkpoint = log.checkpoint();
        } else {
            checkpoint = log.issuedAt(treeSize)
                    .orElseThrow(() -> new CheckpointNotIssued(treeSize, log.issuedAround(treeSize), log.refresh()));
        }
        String note = cosignatures.withCosignatures(checkpoint.treeSize(), checkpoint.note());
        return ResponseEntity.ok().contentType(NOTE).cacheControl(CacheControl.noStore())
                .header("Ledger-Anchoring", anchoring.enabled() ? "anchored" : "not-anchored")
                .header("Ledger-Anchoring-Status", anchoring.description())
                .body(note);
    }

    @GetMapping("/public-key")
    @Operation(summary = "The Ed25519 key that signs checkpoints")
    PublicKeyResponse publicKey() {
        return new PublicKeyResponse(signer.keyName(), "Ed25519", Base64.getEncoder().encodeToString(signer.publicKey()),
                signer.verifierKey());
    }

    @GetMapping("/keys")
    @Operation(summary = "Every key that has signed checkpoints, oldest first, with the tree sizes each signed: "
            + "what is issued before a key rotation stays verifiable by the key of its time")
    KeysResponse keys() {
        String origin = signer.keyName();
        return new KeysResponse(origin, keys.history().stream().map(k -> new KeyResponse("Ed25519", k.publicKey(),
                NoteSigner.verifierKey(origin, k.rawPublicKey()), k.firstTreeSize(), k.lastTreeSize(), k.current()))
                .toList());
    }

    @GetMapping("/proof/inclusion")
    @Operation(summary = "Inclusion proof (RFC 9162) of a leaf in a tree size")
    InclusionResponse inclusion(@RequestParam long leafIndex, @RequestParam long treeSize) {
        List<byte[]> path = requested(() -> log.inclusionProof(leafIndex, treeSize));
        return new InclusionResponse(leafIndex, treeSize, HEX.formatHex(log.leafHash(leafIndex)), hex(path));
    }

    @GetMapping("/proof/consistency")
    @Operation(summary = "Consistency proof (RFC 9162) between two tree sizes")
    ConsistencyResponse consistency(@RequestParam long first, @RequestParam long second) {
        return new ConsistencyResponse(first, second, hex(requested(() -> log.consistencyProof(first, second))));
    }

    @GetMapping("/entries")
    @Operation(summary = "Log entries [start, end) with their exact leaf bytes (auditors)")
    List<Entry> entries(@RequestParam long start, @RequestParam long end) {
        long size = log.refresh();
        if (start < 0 || end <= start) {
            throw new InvalidRequestException("start must be at least 0 and end greater than start");
        }
        if (end - start > maxPage) {
            throw new InvalidRequestException("at most " + maxPage + " entries per page");
        }
        if (end > size) {
            throw new InvalidRequestException("end " + end + " exceeds the log's size " + size);
        }
        List<Entry> out = new ArrayList<>();
        leaves.forEach(start, end, leaf -> out.add(new Entry(leaf.leafIndex(),
                leaf.leafBytes() == null ? null : Base64.getEncoder().encodeToString(leaf.leafBytes()),
                leaf.leafBytes() == null ? null : json.readTree(leaf.leafBytes()))));
        return out;
    }

    /** The log refuses sizes and indexes it does not have; that is the request's fault. */
    private static <T> T requested(java.util.function.Supplier<T> supplier) {
        try {
            return supplier.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }
}
