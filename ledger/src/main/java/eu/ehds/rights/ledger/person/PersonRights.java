package eu.ehds.rights.ledger.person;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.consent.ConsentGiven;
import eu.ehds.rights.ledger.api.consent.ConsentWithdrawn;
import eu.ehds.rights.ledger.api.consent.GiveConsentCommand;
import eu.ehds.rights.ledger.api.consent.WithdrawConsentCommand;
import eu.ehds.rights.ledger.api.objection.NotificationObjectionRegistered;
import eu.ehds.rights.ledger.api.objection.NotificationObjectionWithdrawn;
import eu.ehds.rights.ledger.api.objection.RegisterNotificationObjectionCommand;
import eu.ehds.rights.ledger.api.objection.WithdrawNotificationObjectionCommand;
import eu.ehds.rights.ledger.api.optout.OptOutRegistered;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.optout.OptOutWithdrawn;
import eu.ehds.rights.ledger.api.optout.RegisterOptOutCommand;
import eu.ehds.rights.ledger.api.optout.WithdrawOptOutCommand;
import eu.ehds.rights.ledger.project.ProjectDirectory;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

/** One person's choices about the secondary use of their data, keyed by pseudonym. */
class PersonRights {

    @AggregateIdentifier
    private String person;
    private final Set<OptOutScope> activeOptOuts = new HashSet<>();
    private boolean objectsToNotifications;
    /** Consents given and not withdrawn: their end ({@code null}: until withdrawn) and the notice they were given to. */
    private final Map<OptOutScope, GivenConsent> consents = new HashMap<>();

    private record GivenConsent(Instant validUntil, String noticeSha256) {
    }

    PersonRights() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RegisterOptOutCommand command, ProjectDirectory projects) {
        OptOutScope scope = command.scope();
        if (scope.type() == OptOutScope.Type.PROJECT && !projects.exists(scope.value())) {
            throw new NotFoundException("no project '" + scope.value() + "' in the register");
        }
        if (activeOptOuts.contains(scope)) {
            throw new ConflictException("an opt-out for scope " + scope + " is already active for this person");
        }
        apply(new OptOutRegistered(command.person(), scope, command.channel(), command.recordedBy(),
                command.registeredAt()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(WithdrawOptOutCommand command) {
        if (!activeOptOuts.contains(command.scope())) {
            throw new ConflictException("this person has no active opt-out for scope " + command.scope());
        }
        apply(new OptOutWithdrawn(command.person(), command.scope(), command.channel(), command.recordedBy(),
                command.withdrawnAt()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RegisterNotificationObjectionCommand command) {
        if (objectsToNotifications) {
            throw new ConflictException("this person already objects to significant-finding notifications");
        }
        apply(new NotificationObjectionRegistered(command.person(), command.channel(), command.recordedBy(),
                command.registeredAt()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(WithdrawNotificationObjectionCommand command) {
        if (!objectsToNotifications) {
            throw new ConflictException("this person has no objection to significant-finding notifications");
        }
        apply(new NotificationObjectionWithdrawn(command.person(), command.channel(), command.recordedBy(),
                command.withdrawnAt()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(GiveConsentCommand command, ProjectDirectory projects) {
        OptOutScope scope = command.scope();
        if (scope.type() == OptOutScope.Type.PROJECT && !projects.exists(scope.value())) {
            throw new NotFoundException("no project '" + scope.value() + "' in the register");
        }
        if (inForce(scope, command.givenAt())
                && consents.get(scope).noticeSha256().equals(command.noticeSha256())) {
            // a consent to another notice (the project's was changed) replaces it: the person read the new text
            throw new ConflictException("a consent for scope " + scope + " is already in force for this person");
        }
        apply(new ConsentGiven(command.person(), scope, command.channel(), command.recordedBy(), command.givenAt(),
                command.validUntil(), command.noticeSha256()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(WithdrawConsentCommand command) {
        if (!inForce(command.scope(), command.withdrawnAt())) {
            throw new ConflictException("this person has no consent in force for scope " + command.scope());
        }
        apply(new ConsentWithdrawn(command.person(), command.scope(), command.channel(), command.recordedBy(),
                command.withdrawnAt()));
    }

    /** A consent for the scope given, not withdrawn, and not past its end at {@code t}. */
    private boolean inForce(OptOutScope scope, Instant t) {
        GivenConsent given = consents.get(scope);
        return given != null && (given.validUntil() == null || t.isBefore(given.validUntil()));
    }

    @EventSourcingHandler
    void on(ConsentGiven event) {
        person = event.person();
        consents.put(event.scope(), new GivenConsent(event.validUntil(), event.noticeSha256()));
    }

    @EventSourcingHandler
    void on(ConsentWithdrawn event) {
        person = event.person();
        consents.remove(event.scope());
    }

    @EventSourcingHandler
    void on(OptOutRegistered event) {
        person = event.person();
        activeOptOuts.add(event.scope());
    }

    @EventSourcingHandler
    void on(OptOutWithdrawn event) {
        person = event.person();
        activeOptOuts.remove(event.scope());
    }

    @EventSourcingHandler
    void on(NotificationObjectionRegistered event) {
        person = event.person();
        objectsToNotifications = true;
    }

    @EventSourcingHandler
    void on(NotificationObjectionWithdrawn event) {
        person = event.person();
        objectsToNotifications = false;
    }
}
