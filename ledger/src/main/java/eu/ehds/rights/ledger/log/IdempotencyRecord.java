package eu.ehds.rights.ledger.log;

/**
 * What the ledger answered the first time a request with this idempotency key was recorded: the aggregate it
 * touched and the leaves of its events. A retry gets the same answer.
 */
public record IdempotencyRecord(String idempotencyKey, String requestHash, String aggregateId, long firstLeaf,
                                long lastLeaf) {

    /** The smallest tree that contains every event of the request. */
    public long treeSize() {
        return lastLeaf + 1;
    }
}
