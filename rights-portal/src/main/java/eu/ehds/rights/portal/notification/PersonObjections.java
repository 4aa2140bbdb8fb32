package eu.ehds.rights.portal.notification;

import eu.ehds.rights.ledger.api.objection.NotificationObjectionRegistered;
import eu.ehds.rights.ledger.api.objection.NotificationObjectionWithdrawn;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * Whether a person objects to being informed of significant findings, read from their own event stream in the event
 * store at the moment of asking: no read model lag between an objection and the delivery it must stop.
 */
@Component
class PersonObjections {

    private final EventStore eventStore;

    PersonObjections(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    boolean objects(String person) {
        boolean objects = false;
        DomainEventStream events = eventStore.readEvents(person);
        while (events.hasNext()) {
            Object event = events.next().getPayload();
            if (event instanceof NotificationObjectionRegistered) {
                objects = true;
            } else if (event instanceof NotificationObjectionWithdrawn) {
                objects = false;
            }
        }
        return objects;
    }
}
