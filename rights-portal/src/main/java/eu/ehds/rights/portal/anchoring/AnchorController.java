package eu.ehds.rights.portal.anchoring;

import eu.ehds.rights.ledger.anchoring.AnchoringPort;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Anchoring status for anyone, and the auditors' verification of an entry or tree size against the chain. */
@RestController
@RequestMapping("/api/v1/anchors")
@Tag(name = "Anchoring")
class AnchorController {

    record StatusResponse(boolean anchored, String description, String network, Long latestTreeSize,
                          String latestTransactionId, Long latestBlockNumber, Long pendingEntries, String problem,
                          boolean forked, String leader, java.time.Instant lastAttempt, java.time.Instant reportedAt) {
    }

    private final AnchoringPort anchoring;
    private final AnchorChecks checks;

    AnchorController(AnchoringPort anchoring, AnchorChecks checks) {
        this.anchoring = anchoring;
        this.checks = checks;
    }

    @GetMapping("/status")
    @Operation(summary = "Whether checkpoints are anchored, the latest anchor, which node anchors and what it waits for")
    StatusResponse status() {
        if (!(anchoring instanceof SharedAnchoring shared)) {
            return new StatusResponse(false, anchoring.description(), null, null, null, null, null, null, false, null,
                    null, null);
        }
        SharedAnchoring.Status s = shared.status(); // the same on every node: read from the shared database
        return new StatusResponse(true, anchoring.description(), s.network(),
                s.latest().map(AnchoringPort.Anchor::treeSize).orElse(null),
                s.latest().map(AnchoringPort.Anchor::transactionId).orElse(null),
                s.latest().map(AnchoringPort.Anchor::blockNumber).orElse(null), s.pendingEntries(), s.problem(),
                s.forked(), s.leader(), s.lastAttempt(), s.reportedAt());
    }

    @GetMapping("/verify")
    @Operation(summary = "Verify an entry (leafIndex) or a tree size against its anchor on the chain, step by step")
    AnchorVerification.Report verify(@RequestParam(required = false) Long leafIndex,
                                     @RequestParam(required = false) Long treeSize) {
        if ((leafIndex == null) == (treeSize == null)) {
            throw new InvalidRequestException("give exactly one of leafIndex and treeSize");
        }
        if ((leafIndex != null && leafIndex < 0) || (treeSize != null && treeSize < 1)) {
            throw new InvalidRequestException("leafIndex must be at least 0 and treeSize at least 1");
        }
        return leafIndex != null ? checks.verifyEntry(leafIndex) : checks.verifyTreeSize(treeSize);
    }
}
