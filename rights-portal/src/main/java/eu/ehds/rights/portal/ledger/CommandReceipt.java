package eu.ehds.rights.portal.ledger;

import eu.ehds.rights.ledger.log.IdempotencyRecord;

/**
 * What the ledger answers a recorded command: the aggregate it touched, the leaf of its (last) event and the
 * smallest tree size that includes it. {@code replayed} is true when this answers a retry.
 */
public record CommandReceipt(String aggregateId, long leafIndex, long treeSize, boolean replayed) {

    static CommandReceipt of(IdempotencyRecord record, boolean replayed) {
        return new CommandReceipt(record.aggregateId(), record.lastLeaf(), record.treeSize(), replayed);
    }
}
