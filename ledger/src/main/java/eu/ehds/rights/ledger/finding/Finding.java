package eu.ehds.rights.ledger.finding;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.finding.AcknowledgeFindingCommand;
import eu.ehds.rights.ledger.api.finding.DeliveryChannel;
import eu.ehds.rights.ledger.api.finding.ForwardFindingCommand;
import eu.ehds.rights.ledger.api.finding.RecordFindingDeliveryCommand;
import eu.ehds.rights.ledger.api.finding.ReportSignificantFindingCommand;
import eu.ehds.rights.ledger.api.finding.SignificantFindingAcknowledged;
import eu.ehds.rights.ledger.api.finding.SignificantFindingDelivered;
import eu.ehds.rights.ledger.api.finding.SignificantFindingDeliverySuppressed;
import eu.ehds.rights.ledger.api.finding.SignificantFindingForwarded;
import eu.ehds.rights.ledger.api.finding.SignificantFindingReported;
import eu.ehds.rights.ledger.project.ProjectDirectory;
import java.util.EnumSet;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * A significant finding on its way to the person (EHDS Art. 61(5)): reported by a project, forwarded by the access
 * body to a data holder, acknowledged by that holder, then delivered or suppressed once per channel. Each hop in order,
 * each once.
 */
class Finding {

    @AggregateIdentifier
    private String findingId;
    private String dataHolder;
    private boolean acknowledged;
    private final Set<DeliveryChannel> settled = EnumSet.noneOf(DeliveryChannel.class);

    Finding() {
        // for Axon
    }

    @CommandHandler
    Finding(ReportSignificantFindingCommand command, ProjectDirectory projects) {
        if (!projects.exists(command.projectId())) {
            throw new NotFoundException("no project '" + command.projectId() + "' in the register");
        }
        apply(new SignificantFindingReported(command.findingId(), command.projectId(), command.person(),
                command.severity(), command.contentSha256(), command.recordedBy(), command.reportedAt()));
    }

    @CommandHandler
    void handle(ForwardFindingCommand command) {
        if (dataHolder != null) {
            throw new ConflictException("this finding was already forwarded to " + dataHolder);
        }
        apply(new SignificantFindingForwarded(findingId, command.dataHolder(), command.recordedBy(),
                command.forwardedAt()));
    }

    @CommandHandler
    void handle(AcknowledgeFindingCommand command) {
        if (dataHolder == null || !dataHolder.equals(command.dataHolder())) {
            throw new NotFoundException("no finding '" + findingId + "' was forwarded to this data holder");
        }
        if (acknowledged) {
            throw new ConflictException("this finding is already acknowledged");
        }
        apply(new SignificantFindingAcknowledged(findingId, dataHolder, command.recipient(), command.recordedBy(),
                command.acknowledgedAt()));
    }

    @CommandHandler
    void handle(RecordFindingDeliveryCommand command) {
        if (!acknowledged) {
            throw new ConflictException("a finding is delivered only after its data holder acknowledged it");
        }
        if (settled.contains(command.channel())) {
            throw new ConflictException("the " + command.channel() + " delivery of this finding is already recorded");
        }
        if (command.suppressedReason() == null) {
            apply(new SignificantFindingDelivered(findingId, command.channel(), command.recordedBy(), command.at()));
        } else {
            apply(new SignificantFindingDeliverySuppressed(findingId, command.channel(), command.suppressedReason(),
                    command.recordedBy(), command.at()));
        }
    }

    @EventSourcingHandler
    void on(SignificantFindingReported event) {
        findingId = event.findingId();
    }

    @EventSourcingHandler
    void on(SignificantFindingForwarded event) {
        dataHolder = event.dataHolder();
    }

    @EventSourcingHandler
    void on(SignificantFindingAcknowledged event) {
        acknowledged = true;
    }

    @EventSourcingHandler
    void on(SignificantFindingDelivered event) {
        settled.add(event.channel());
    }

    @EventSourcingHandler
    void on(SignificantFindingDeliverySuppressed event) {
        settled.add(event.channel());
    }
}
