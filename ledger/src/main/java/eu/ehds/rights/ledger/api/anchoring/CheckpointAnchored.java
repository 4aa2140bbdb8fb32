package eu.ehds.rights.ledger.api.anchoring;

import java.time.Instant;

/**
 * Event type {@code CheckpointAnchored}, revision 1: the log's checkpoint at {@code treeSize} is held by
 * {@code transactionId} in block {@code blockNumber} of {@code network} (e.g. {@code fabric:anchors/anchoring}).
 */
public record CheckpointAnchored(String anchorId, String origin, long treeSize, String rootHash, String network,
                                 String transactionId, long blockNumber, String recordedBy, Instant recordedAt) {
}
