package eu.ehds.rights.portal.holder;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.project.RecordDataUsageCommand;
import eu.ehds.rights.projections.decision.RuleMode;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import eu.ehds.rights.projections.decision.Decision;
import eu.ehds.rights.projections.decision.DecisionProjection;
import eu.ehds.rights.projections.decision.ProjectRegister;
import eu.ehds.rights.projections.extract.FilterOutcome;
import eu.ehds.rights.projections.extract.PseudonymSet;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * What every delivery of an extract goes through, online or offline: the check that the project may receive this
 * dataset from this holder now, then the data usage recorded in the ledger and the signed certificate.
 */
@Service
class Deliveries {

    private final DecisionProjection readModel;
    private final DecisionProperties properties;
    private final VerifiableLog log;
    private final LedgerCommands commands;
    private final FilterCertificates certificates;
    private final Clock clock;

    Deliveries(DecisionProjection readModel, DecisionProperties properties, VerifiableLog log, LedgerCommands commands,
               FilterCertificates certificates, Clock clock) {
        this.readModel = readModel;
        this.properties = properties;
        this.log = log;
        this.commands = commands;
        this.certificates = certificates;
        this.clock = clock;
    }

    /**
     * What a new delivery is decided against: the project's sheet, the log size the read model reflects, the time
     * of the extract, and the persons excluded from it.
     */
    record Opened(ProjectRegister.Sheet sheet, long treeSize, Instant extractAt, PseudonymSet excluded) {
    }

    /** Checks the delivery may happen now and computes who is excluded from it. */
    Opened open(String projectId, String dataset, String dataHolder) {
        long treeSize = readModel.treeSize();
        Instant extractAt = clock.instant();
        ProjectRegister.Sheet sheet = deliverable(projectId, dataset, dataHolder, extractAt, treeSize);
        return new Opened(sheet, treeSize, extractAt,
                readModel.excluded(projectId, extractAt, treeSize, properties.rule()));
    }

    /** Checks that the project may receive this dataset from this holder now; returns its sheet. */
    private ProjectRegister.Sheet deliverable(String projectId, String dataset, String dataHolder, Instant extractAt,
                                              long treeSize) {
        ProjectRegister.Sheet sheet = readModel.sheet(projectId, treeSize)
                .orElseThrow(() -> new NotFoundException("no project '" + projectId + "' in the register"));
        if (!sheet.dataHolders().contains(dataHolder)) {
            throw new ConflictException("data holder '" + dataHolder + "' is not listed on this project's sheet");
        }
        if (!sheet.datasets().contains(dataset)) {
            throw new InvalidRequestException("dataset '" + dataset + "' is not listed on this project's sheet");
        }
        Decision project = readModel.projectDecision(projectId, extractAt, treeSize, properties.rule());
        if (!project.allowed()) {
            throw new ConflictException("no extract may be delivered to this project now: " + project.reason());
        }
        return sheet;
    }

    /** Records the delivery as data usage in the ledger, then signs and stores the certificate. */
    String recordAndCertify(String filterId, String projectId, String permitId, String dataHolder,
                                    String dataset, RuleMode rule, Instant extractAt, long treeSize,
                                    FilterOutcome outcome, String cohortKeysSha256, String errorReport) {
        String usageId = usageIdOf(filterId);
        CommandReceipt usage = commands.submit("extracts/filter", List.of(filterId, outcome), "filter:" + filterId,
                () -> new RecordDataUsageCommand(projectId, usageId, dataHolder, dataset, extractAt,
                        outcome.allowed(), outcome.cohortCommitment(), "data-holder:" + dataHolder,
                        "filter:" + filterId));
        return certificates.issue(new FilterCertificates.Facts(filterId, projectId, permitId, dataHolder, dataset,
                rule, extractAt, treeSize, log.root(treeSize), outcome, cohortKeysSha256, usageId, usage,
                clock.instant()), errorReport);
    }

    static String usageIdOf(String filterId) {
        return "use-" + UUID.nameUUIDFromBytes(filterId.getBytes(StandardCharsets.UTF_8));
    }
}
