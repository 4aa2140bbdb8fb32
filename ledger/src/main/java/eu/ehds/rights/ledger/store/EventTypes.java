package eu.ehds.rights.ledger.store;

import eu.ehds.rights.ledger.api.anchoring.CheckpointAnchored;
import eu.ehds.rights.ledger.api.consent.ConsentGiven;
import eu.ehds.rights.ledger.api.consent.ConsentWithdrawn;
import eu.ehds.rights.ledger.api.finding.SignificantFindingAcknowledged;
import eu.ehds.rights.ledger.api.finding.SignificantFindingDelivered;
import eu.ehds.rights.ledger.api.finding.SignificantFindingDeliverySuppressed;
import eu.ehds.rights.ledger.api.finding.SignificantFindingForwarded;
import eu.ehds.rights.ledger.api.finding.SignificantFindingReported;
import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateGranted;
import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateRevoked;
import eu.ehds.rights.ledger.api.objection.NotificationObjectionRegistered;
import eu.ehds.rights.ledger.api.objection.NotificationObjectionWithdrawn;
import eu.ehds.rights.ledger.api.optout.OptOutRegistered;
import eu.ehds.rights.ledger.api.optout.OptOutWithdrawn;
import eu.ehds.rights.ledger.api.project.DataUsageRecorded;
import eu.ehds.rights.ledger.api.project.LegalBasisSet;
import eu.ehds.rights.ledger.api.project.PermitApproved;
import eu.ehds.rights.ledger.api.project.ProjectClosed;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.ledger.api.project.PublicInterestDerogationRecorded;
import eu.ehds.rights.ledger.api.project.ResultsPublished;
import eu.ehds.rights.ledger.api.signing.SigningKeyRotated;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The stable, persisted names and revisions of ledger events. The event store and the log's leaves hold these
 * names, never Java class names, so classes can move without rewriting history. A new revision goes with an
 * upcaster.
 */
public final class EventTypes {

    public record EventType(String name, String revision, Class<?> javaType) {
    }

    private static final Map<Class<?>, EventType> BY_CLASS = new LinkedHashMap<>();
    private static final Map<String, EventType> BY_NAME = new LinkedHashMap<>();

    static {
        register(OptOutRegistered.class, "OptOutRegistered", "1");
        register(OptOutWithdrawn.class, "OptOutWithdrawn", "1");
        register(NotificationObjectionRegistered.class, "NotificationObjectionRegistered", "1");
        register(NotificationObjectionWithdrawn.class, "NotificationObjectionWithdrawn", "1");
        register(ProjectRegistered.class, "ProjectRegistered", "1");
        register(PermitApproved.class, "PermitApproved", "1");
        register(PublicInterestDerogationRecorded.class, "PublicInterestDerogationRecorded", "1");
        register(ProjectClosed.class, "ProjectClosed", "1");
        register(ResultsPublished.class, "ResultsPublished", "1");
        register(DataUsageRecorded.class, "DataUsageRecorded", "1");
        register(RepresentativeMandateGranted.class, "RepresentativeMandateGranted", "1");
        register(RepresentativeMandateRevoked.class, "RepresentativeMandateRevoked", "1");
        register(CheckpointAnchored.class, "CheckpointAnchored", "1");
        register(SignificantFindingReported.class, "SignificantFindingReported", "1");
        register(SignificantFindingForwarded.class, "SignificantFindingForwarded", "1");
        register(SignificantFindingAcknowledged.class, "SignificantFindingAcknowledged", "1");
        register(SignificantFindingDelivered.class, "SignificantFindingDelivered", "1");
        register(SignificantFindingDeliverySuppressed.class, "SignificantFindingDeliverySuppressed", "1");
        register(ConsentGiven.class, "ConsentGiven", "1");
        register(ConsentWithdrawn.class, "ConsentWithdrawn", "1");
        register(LegalBasisSet.class, "LegalBasisSet", "1");
        register(SigningKeyRotated.class, "SigningKeyRotated", "1");
    }

    private EventTypes() {
    }

    private static void register(Class<?> type, String name, String revision) {
        EventType eventType = new EventType(name, revision, type);
        BY_CLASS.put(type, eventType);
        BY_NAME.put(name, eventType);
    }

    public static Optional<EventType> of(Class<?> type) {
        return Optional.ofNullable(BY_CLASS.get(type));
    }

    public static Optional<EventType> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static Iterable<EventType> all() {
        return BY_CLASS.values();
    }
}
