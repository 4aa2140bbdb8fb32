package eu.ehds.rights.ledger.mandate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.mandate.GrantMandateCommand;
import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateGranted;
import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateRevoked;
import eu.ehds.rights.ledger.api.mandate.RevokeMandateCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/** A representative's authority to act for a minor or a protected adult, for a limited time. */
class Mandate {

    @AggregateIdentifier
    private String mandateId;
    private boolean revoked;

    Mandate() {
        // for Axon
    }

    @CommandHandler
    Mandate(GrantMandateCommand command) {
        apply(new RepresentativeMandateGranted(command.mandateId(), command.representative(), command.represented(),
                command.kind(), command.validUntil(), command.recordedBy(), command.grantedAt()));
    }

    @CommandHandler
    void handle(RevokeMandateCommand command) {
        if (revoked) {
            throw new ConflictException("mandate " + mandateId + " is already revoked");
        }
        apply(new RepresentativeMandateRevoked(mandateId, command.reason(), command.recordedBy(), command.revokedAt()));
    }

    @EventSourcingHandler
    void on(RepresentativeMandateGranted event) {
        mandateId = event.mandateId();
    }

    @EventSourcingHandler
    void on(RepresentativeMandateRevoked event) {
        revoked = true;
    }
}
