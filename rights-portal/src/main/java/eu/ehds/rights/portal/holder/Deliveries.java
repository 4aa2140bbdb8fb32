package eu.ehds.rights.portal.holder;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.project.LegalBasis;
import eu.ehds.rights.ledger.api.project.RecordDataUsageCommand;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import eu.ehds.rights.portal.web.Refusals;
import eu.ehds.rights.projections.decision.Decision;
import eu.ehds.rights.projections.decision.DecisionProjection;
import eu.ehds.rights.projections.decision.ProjectRegister;
import eu.ehds.rights.projections.decision.RuleMode;
import eu.ehds.rights.projections.extract.ExtractFilter;
import eu.ehds.rights.projections.extract.FilterOutcome;
import eu.ehds.rights.projections.extract.PseudonymSet;
import eu.ehds.rights.projections.usage.CohortFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.i18n.LocaleContextHolder;
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
    private final Pseudonymiser pseudonymiser;
    private final Cohorts cohorts;
    private final HolderScope holderScope;
    private final Refusals refusals;

    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
    static final int MAX_REPORTED_ERRORS = 10_000;

    Deliveries(DecisionProjection readModel, DecisionProperties properties, VerifiableLog log, LedgerCommands commands,
               FilterCertificates certificates, Clock clock, Pseudonymiser pseudonymiser, Cohorts cohorts,
               HolderScope holderScope, Refusals refusals) {
        this.holderScope = holderScope;
        this.refusals = refusals;
        this.readModel = readModel;
        this.properties = properties;
        this.log = log;
        this.commands = commands;
        this.certificates = certificates;
        this.clock = clock;
        this.pseudonymiser = pseudonymiser;
        this.cohorts = cohorts;
    }

    /**
     * What a new delivery is decided against: the project's sheet, the log size the read model reflects, the time
     * of the extract, and the persons excluded from it, or, for a consent project ({@code onlyListed}), the only
     * persons who may be in it.
     */
    record Opened(ProjectRegister.Sheet sheet, long treeSize, Instant extractAt, PseudonymSet persons,
                  boolean onlyListed) {

        ExtractFilter filter(Pseudonymiser pseudonymiser) {
            return ExtractFilter.of(persons, onlyListed, pseudonymiser);
        }
    }

    /** Checks the delivery may happen now and computes who is excluded from it (or, by consent, who may be in it). */
    Opened open(String projectId, String dataset, String dataHolder) {
        long treeSize = readModel.treeSize();
        Instant extractAt = clock.instant();
        ProjectRegister.Sheet sheet = deliverable(projectId, dataset, dataHolder, extractAt, treeSize);
        if (readModel.legalBasis(projectId, treeSize).orElseThrow() == LegalBasis.CONSENT) {
            return new Opened(sheet, treeSize, extractAt,
                    readModel.allowed(projectId, extractAt, treeSize, properties.rule()), true);
        }
        return new Opened(sheet, treeSize, extractAt,
                readModel.excluded(projectId, extractAt, treeSize, properties.rule()), false);
    }

    /** Checks that the project may receive this dataset from this holder now; returns its sheet. */
    private ProjectRegister.Sheet deliverable(String projectId, String dataset, String dataHolder, Instant extractAt,
                                              long treeSize) {
        holderScope.requireNamed(dataHolder, projectId); // first: an unknown project is not named either
        ProjectRegister.Sheet sheet = readModel.sheet(projectId, treeSize)
                .orElseThrow(() -> new NotFoundException("no project '" + projectId + "' in the register"));
        if (!sheet.datasets().contains(dataset)) {
            throw new InvalidRequestException("extract.dataset-not-on-sheet",
                    "dataset '" + dataset + "' is not listed on this project's sheet", dataset);
        }
        Decision project = readModel.projectDecision(projectId, extractAt, treeSize, properties.rule());
        if (!project.allowed()) {
            throw new ConflictException("no extract may be delivered to this project now: " + project.reason());
        }
        return sheet;
    }

    /** A filtered extract: what was delivered, and its certificate ({@code null} if the usage could not be recorded). */
    record Filtered(String filterId, FilterOutcome outcome, String certificate) {
    }

    /**
     * Filters an extract for an opened delivery, streaming: allowed rows to {@code out}, the delivered persons' keys
     * to their cohort file; then records the usage and certifies it. Unreadable rows are reported (line and reason,
     * never the identifier), at most {@value #MAX_REPORTED_ERRORS} of them.
     */
    /**
     * Refuses an extract of which no row was read (or that held none), filtered here or reported after filtering
     * offline: no delivery, so nothing certified, recorded or counted publicly.
     */
    static void requireSomeRowRead(long rows, long errors) {
        if (rows == errors) {
            throw rows == 0 ? new InvalidRequestException("extract.empty", "the extract holds no row")
                    : new InvalidRequestException("extract.no-readable-row", "no row of the extract could be read ("
                    + errors + " unreadable); check the identifier column and the file's format", errors);
        }
    }

    Filtered filter(Opened delivery, String filterId, String projectId, String dataset, String dataHolder,
                    String column, InputStream in, OutputStream out) throws IOException {
        StringBuilder errors = new StringBuilder("line,error\n");
        long[] reported = {0};
        FilterOutcome outcome;
        CohortFile.Written cohortFile;
        Path cohort = cohorts.fileOf(usageIdOf(filterId));
        Path leftOut = cohorts.excludedFileOf(usageIdOf(filterId));
        try (CohortFile.Writer delivered = CohortFile.writer(cohorts.workDir());
             CohortFile.Writer excluded = CohortFile.writer(cohorts.workDir())) {
            // the unreadable rows' reasons in the uploader's language (the page's, or the API's Accept-Language)
            java.util.Locale language = LocaleContextHolder.getLocale();
            ExtractFilter.ErrorSink report = new ExtractFilter.ErrorSink() {
                @Override
                public void error(long line, String message) {
                    if (reported[0]++ < MAX_REPORTED_ERRORS) {
                        errors.append(line).append(",\"").append(message.replace("\"", "\"\"")).append("\"\n");
                    }
                }

                @Override
                public void refused(long line, InvalidRequestException refusal) {
                    error(line, refusals.text(refusal, language));
                }
            };
            outcome = delivery.filter(pseudonymiser).filter(in, out, report, column, null,
                    delivered::add, excluded::add);
            requireSomeRowRead(outcome.rows(), outcome.errors());
            out.flush();
            cohortFile = delivered.finish(cohort);
            excluded.finish(leftOut);
        }
        // The extract has been delivered: record the usage, then certify.
        try {
            return new Filtered(filterId, outcome, recordAndCertify(filterId, projectId, delivery.sheet().permitId(),
                    dataHolder, dataset, properties.rule(), delivery.extractAt(), delivery.treeSize(), outcome,
                    cohortFile.sha256(), errors.toString()));
        } catch (RuntimeException e) {
            // The rows are already sent; without a recorded usage there is no certificate, and the holder sees it.
            LOG.error("filter {} for project {}: delivery not recorded", filterId, projectId, e);
            Files.deleteIfExists(cohort);
            Files.deleteIfExists(leftOut);
            return new Filtered(filterId, outcome, null);
        }
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
