package eu.ehds.rights.portal.audit;

import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.portal.error.ProblemProperties;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * No checkpoint was issued at the tree size asked for. The log serves only the checkpoints it issued and stored;
 * the answer names the nearest stored sizes, so that a client can ask for one of them.
 */
public class CheckpointNotIssued extends NotFoundException implements ProblemProperties {

    private final List<Long> nearest;

    CheckpointNotIssued(long treeSize, List<Long> nearest, long logSize) {
        super("no checkpoint was issued at tree size " + treeSize + " (the log holds " + logSize + " entries); "
                + (nearest.isEmpty() ? "no checkpoint is stored yet"
                : "the nearest stored checkpoints are at tree size " + nearest.stream().map(String::valueOf)
                .collect(Collectors.joining(" and "))) + ": a past size is never signed anew");
        this.nearest = List.copyOf(nearest);
    }

    /** The tree sizes of the nearest stored checkpoints, smaller first, for a client to ask. */
    @Override
    public Map<String, Object> problemProperties() {
        return Map.of("nearestTreeSizes", nearest);
    }
}
