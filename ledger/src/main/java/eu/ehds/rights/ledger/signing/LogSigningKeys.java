package eu.ehds.rights.ledger.signing;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.signing.RotateSigningKeyCommand;
import eu.ehds.rights.ledger.api.signing.SigningKeyRotated;
import java.util.HashSet;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

/**
 * The keys that have signed a log's checkpoints, in order. A rotation must name the current key as the one it
 * replaces (two operators rotating at once cannot both win), and a key once retired never signs again.
 */
class LogSigningKeys {

    @AggregateIdentifier
    private String keysId;
    private String current;
    private final Set<String> used = new HashSet<>();

    LogSigningKeys() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RotateSigningKeyCommand command) {
        if (current != null && !current.equals(command.previousKey())) {
            throw new ConflictException("the log's checkpoints are signed by key " + current + ", not "
                    + command.previousKey() + ": rotate from the current key");
        }
        if (command.nextKey().equals(command.previousKey()) || used.contains(command.nextKey())) {
            throw new ConflictException("key " + command.nextKey() + " has signed this log before: a retired key "
                    + "never signs again, rotate to a new key");
        }
        apply(new SigningKeyRotated(command.origin(), command.previousKey(), command.nextKey(), command.recordedBy(),
                command.rotatedAt()));
    }

    @EventSourcingHandler
    void on(SigningKeyRotated event) {
        keysId = RotateSigningKeyCommand.keysId(event.origin());
        used.add(event.previousKey());
        used.add(event.nextKey());
        current = event.nextKey();
    }
}
