package eu.ehds.rights.portal.citizen;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.consent.ConsentGiven;
import eu.ehds.rights.ledger.api.consent.ConsentWithdrawn;
import eu.ehds.rights.ledger.api.objection.NotificationObjectionRegistered;
import eu.ehds.rights.ledger.api.objection.NotificationObjectionWithdrawn;
import eu.ehds.rights.ledger.api.optout.OptOutRegistered;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.optout.OptOutWithdrawn;
import eu.ehds.rights.ledger.store.LogAppendingStorageEngine;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * One person's choices, read from their own event stream in the event store: exact, and complete up to the last
 * committed command (no read model lag on the page that confirms a change).
 */
@Component
class PersonHistory {

    enum Kind {
        OPT_OUT_REGISTERED, OPT_OUT_WITHDRAWN, OBJECTION_REGISTERED, OBJECTION_WITHDRAWN, CONSENT_GIVEN,
        CONSENT_WITHDRAWN
    }

    /** One recorded change, with the leaf that proves it. */
    record Change(long leafIndex, Kind kind, OptOutScope scope, Instant at, Channel channel, String recordedBy) {

        /** Who made the change, as the person sees it: themselves, a representative, or the access body's staff. */
        public String actor() {
            if (recordedBy.startsWith("representative:")) {
                return "REPRESENTATIVE";
            }
            return recordedBy.startsWith("staff:") ? "STAFF" : "SELF";
        }

        /**
         * Who made the change, as {@code viewer} (a pseudonym) sees it: a representative looking at the person they
         * represent is told whether they acted themselves or another representative did; the person, a representative.
         */
        public String actorAs(String viewer, boolean viewerRepresents) {
            if (recordedBy.startsWith("representative:") && viewerRepresents) {
                return recordedBy.startsWith("representative:" + viewer + " ") ? "REPRESENTATIVE_YOU"
                        : "REPRESENTATIVE_OTHER";
            }
            // the person reading their own history acted themselves: "you"
            return !viewerRepresents && "SELF".equals(actor()) ? "SELF_YOU" : actor();
        }
    }

    record ActiveOptOut(OptOutScope scope, Instant since, long leafIndex) {
    }

    /** A consent given and not withdrawn; {@code until} (exclusive) when it has an end, which may have passed. */
    record GivenConsent(OptOutScope scope, Instant since, Instant until, String noticeSha256, long leafIndex) {

        public boolean inForceAt(Instant t) {
            return until == null || until.isAfter(t);
        }

        /**
         * In force at {@code t} and counting: a consent to a project counts only if given to its current notice (a
         * later notice calls for a new consent).
         */
        public boolean countsAt(Instant t, PublicRegisterProjection register) {
            return inForceAt(t) && !(scope.type() == OptOutScope.Type.PROJECT && register.consentBasis(scope.value())
                    .map(b -> since.isBefore(b.setAt())).orElse(false));
        }
    }

    /** The person's choices now, and every change, newest first. */
    record Choices(List<ActiveOptOut> optOuts, boolean objectsToNotifications, Instant objectionSince,
                   List<Change> changes, List<GivenConsent> consents) {

        /** The consent for exactly this scope given and not withdrawn, if any (perhaps past its end). */
        public java.util.Optional<GivenConsent> consent(OptOutScope scope) {
            return consents.stream().filter(c -> c.scope().equals(scope)).findFirst();
        }

        public boolean active(OptOutScope scope) {
            return optOuts.stream().anyMatch(o -> o.scope().equals(scope));
        }
    }

    private final EventStore eventStore;

    PersonHistory(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    Choices of(String pseudonym) {
        List<Change> changes = new ArrayList<>();
        Map<OptOutScope, ActiveOptOut> active = new LinkedHashMap<>();
        Map<OptOutScope, GivenConsent> consents = new LinkedHashMap<>();
        boolean objects = false;
        Instant objectionSince = null;
        DomainEventStream stream = eventStore.readEvents(pseudonym);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            long leaf = ((Number) message.getMetaData().get(LogAppendingStorageEngine.LEAF_INDEX)).longValue();
            Object event = message.getPayload();
            if (event instanceof OptOutRegistered e) {
                changes.add(new Change(leaf, Kind.OPT_OUT_REGISTERED, e.scope(), e.registeredAt(), e.channel(),
                        e.recordedBy()));
                active.put(e.scope(), new ActiveOptOut(e.scope(), e.registeredAt(), leaf));
            } else if (event instanceof OptOutWithdrawn e) {
                changes.add(new Change(leaf, Kind.OPT_OUT_WITHDRAWN, e.scope(), e.withdrawnAt(), e.channel(),
                        e.recordedBy()));
                active.remove(e.scope());
            } else if (event instanceof ConsentGiven e) {
                changes.add(new Change(leaf, Kind.CONSENT_GIVEN, e.scope(), e.givenAt(), e.channel(), e.recordedBy()));
                consents.put(e.scope(), new GivenConsent(e.scope(), e.givenAt(), e.validUntil(), e.noticeSha256(), leaf));
            } else if (event instanceof ConsentWithdrawn e) {
                changes.add(new Change(leaf, Kind.CONSENT_WITHDRAWN, e.scope(), e.withdrawnAt(), e.channel(),
                        e.recordedBy()));
                consents.remove(e.scope());
            } else if (event instanceof NotificationObjectionRegistered e) {
                changes.add(new Change(leaf, Kind.OBJECTION_REGISTERED, null, e.registeredAt(), e.channel(),
                        e.recordedBy()));
                objects = true;
                objectionSince = e.registeredAt();
            } else if (event instanceof NotificationObjectionWithdrawn e) {
                changes.add(new Change(leaf, Kind.OBJECTION_WITHDRAWN, null, e.withdrawnAt(), e.channel(),
                        e.recordedBy()));
                objects = false;
                objectionSince = null;
            }
        }
        List<Change> newestFirst = new ArrayList<>(changes);
        java.util.Collections.reverse(newestFirst);
        return new Choices(List.copyOf(active.values()), objects, objectionSince, List.copyOf(newestFirst),
                List.copyOf(consents.values()));
    }
}
