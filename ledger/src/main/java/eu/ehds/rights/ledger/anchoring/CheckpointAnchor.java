package eu.ehds.rights.ledger.anchoring;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import eu.ehds.rights.ledger.api.anchoring.CheckpointAnchored;
import eu.ehds.rights.ledger.api.anchoring.RecordAnchorCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * One anchored checkpoint. Written once: a second record for the same origin and tree size is refused by the
 * event store, so anchoring that resumes after a crash cannot record an anchor twice.
 */
class CheckpointAnchor {

    @AggregateIdentifier
    private String anchorId;

    CheckpointAnchor() {
        // for Axon
    }

    @CommandHandler
    CheckpointAnchor(RecordAnchorCommand command) {
        apply(new CheckpointAnchored(command.anchorId(), command.origin(), command.treeSize(), command.rootHash(),
                command.network(), command.transactionId(), command.blockNumber(), command.recordedBy(),
                command.recordedAt()));
    }

    @EventSourcingHandler
    void on(CheckpointAnchored event) {
        anchorId = event.anchorId();
    }
}
