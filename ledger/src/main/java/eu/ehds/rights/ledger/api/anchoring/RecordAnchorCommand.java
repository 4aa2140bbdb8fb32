package eu.ehds.rights.ledger.api.anchoring;

import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records in the ledger that a checkpoint was anchored: the transaction and block that hold it on the anchoring
 * network. One record per origin and tree size ({@link #anchorId(String, long)}).
 */
public record RecordAnchorCommand(@TargetAggregateIdentifier String anchorId, String origin, long treeSize,
                                  String rootHash, String network, String transactionId, long blockNumber,
                                  String recordedBy, Instant recordedAt,
                                  String idempotencyKey) implements IdempotentCommand {

    public RecordAnchorCommand {
        Require.text(origin, "origin", 200);
        if (treeSize < 1 || blockNumber < 0) {
            throw new IllegalArgumentException("an anchor covers at least one entry and sits in a block");
        }
        if (!anchorId(origin, treeSize).equals(anchorId)) {
            throw new IllegalArgumentException("anchorId must be origin@treeSize");
        }
        Require.hex(rootHash, "rootHash", 64);
        Require.text(network, "network", 200);
        Require.text(transactionId, "transactionId", 128);
        Require.recorded(recordedBy, idempotencyKey);
        Require.present(recordedAt, "recordedAt");
    }

    public static String anchorId(String origin, long treeSize) {
        return origin + "@" + treeSize;
    }
}
