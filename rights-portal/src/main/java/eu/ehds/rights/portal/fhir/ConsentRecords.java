package eu.ehds.rights.portal.fhir;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.objection.NotificationObjectionRegistered;
import eu.ehds.rights.ledger.api.objection.NotificationObjectionWithdrawn;
import eu.ehds.rights.ledger.api.optout.OptOutRegistered;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.optout.OptOutWithdrawn;
import eu.ehds.rights.ledger.store.LogAppendingStorageEngine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * A person's opt-outs and notification objections as recorded, one record per registration with its withdrawal if
 * any, read from the person's own event stream (exact up to the last committed command).
 */
@Component
class ConsentRecords {

    enum Kind { OPT_OUT, FINDINGS_OBJECTION }

    /** One registration and its withdrawal, each with the leaf that proves it. */
    record ConsentRecord(String person, Kind kind, long leaf, OptOutScope scope, Instant registeredAt,
                         Channel channel, String recordedBy, Long withdrawnLeaf, Instant withdrawnAt) {

        boolean active() {
            return withdrawnAt == null;
        }

        String id() {
            return (kind == Kind.OPT_OUT ? "optout-" : "objection-") + leaf;
        }

        Instant lastUpdated() {
            return active() ? registeredAt : withdrawnAt;
        }

        ConsentRecord withdrawn(long atLeaf, Instant at) {
            return new ConsentRecord(person, kind, leaf, scope, registeredAt, channel, recordedBy, atLeaf, at);
        }
    }

    private final EventStore eventStore;

    ConsentRecords(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** Every record of the person, oldest registration first. */
    List<ConsentRecord> of(String pseudonym) {
        List<ConsentRecord> records = new ArrayList<>();
        Map<OptOutScope, Integer> openOptOuts = new HashMap<>();
        Integer openObjection = null;
        DomainEventStream stream = eventStore.readEvents(pseudonym);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            long leaf = ((Number) message.getMetaData().get(LogAppendingStorageEngine.LEAF_INDEX)).longValue();
            Object event = message.getPayload();
            if (event instanceof OptOutRegistered e) {
                openOptOuts.put(e.scope(), records.size());
                records.add(new ConsentRecord(pseudonym, Kind.OPT_OUT, leaf, e.scope(), e.registeredAt(), e.channel(),
                        e.recordedBy(), null, null));
            } else if (event instanceof OptOutWithdrawn e) {
                Integer open = openOptOuts.remove(e.scope());
                if (open != null) {
                    records.set(open, records.get(open).withdrawn(leaf, e.withdrawnAt()));
                }
            } else if (event instanceof NotificationObjectionRegistered e) {
                openObjection = records.size();
                records.add(new ConsentRecord(pseudonym, Kind.FINDINGS_OBJECTION, leaf, null, e.registeredAt(),
                        e.channel(), e.recordedBy(), null, null));
            } else if (event instanceof NotificationObjectionWithdrawn e && openObjection != null) {
                records.set(openObjection, records.get(openObjection).withdrawn(leaf, e.withdrawnAt()));
                openObjection = null;
            }
        }
        return records;
    }

    /** The record a resource id names, when the person's stream holds it. */
    Optional<ConsentRecord> find(String pseudonym, String id) {
        return of(pseudonym).stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
