package eu.ehds.rights.ledger.anchoring;

import java.util.Optional;

/**
 * Where signed checkpoints are anchored so that not even the ledger's operator can rewrite history unnoticed.
 * The Hyperledger Fabric adapter implements it; without one, the ledger says plainly that nothing is anchored.
 *
 * <pre>{@code
 * anchoring.latestAnchor().ifPresentOrElse(a -> show(a.transactionId()), () -> show(anchoring.description()));
 * }</pre>
 */
public interface AnchoringPort {

    /** An anchored checkpoint: the tree size it covers and where it was recorded. */
    record Anchor(long treeSize, String transactionId, long blockNumber) {
    }

    boolean enabled();

    /** A sentence for people: where checkpoints are anchored, or that they are not. */
    String description();

    Optional<Anchor> latestAnchor();

    /** The port used when no anchoring network is configured. */
    static AnchoringPort none() {
        return new AnchoringPort() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public String description() {
                return "Checkpoints are signed but not anchored on a blockchain: no anchoring network is configured.";
            }

            @Override
            public Optional<Anchor> latestAnchor() {
                return Optional.empty();
            }
        };
    }
}
