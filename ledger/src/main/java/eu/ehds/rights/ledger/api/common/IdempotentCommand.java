package eu.ehds.rights.ledger.api.common;

/**
 * A command that a client may retry: the ledger records it once per idempotency key and answers a retry with
 * the original result.
 */
public interface IdempotentCommand {

    String idempotencyKey();

    /** Who submitted the command, e.g. {@code staff:admin}; recorded in the events. */
    String recordedBy();
}
