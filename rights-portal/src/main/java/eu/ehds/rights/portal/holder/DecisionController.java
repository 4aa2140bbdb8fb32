package eu.ehds.rights.portal.holder;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.portal.readmodel.ReadModelAdmin;
import eu.ehds.rights.projections.decision.Decision;
import eu.ehds.rights.projections.decision.DecisionProjection;
import eu.ehds.rights.projections.decision.HolderReason;
import eu.ehds.rights.projections.decision.Reason;
import eu.ehds.rights.projections.decision.RuleMode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * "May this person's data be used for project X (as of T)?", one person at a time or in batches. Persons are
 * given as NIRs (pseudonymised at once) or as ledger pseudonyms.
 */
@RestController
@RequestMapping("/api/v1/decisions")
@Tag(name = "Decisions")
class DecisionController {

    record DecisionRequest(String person, String projectId, Instant asOf, Long treeSize) {
    }

    /** {@code reason}: a {@link Reason} for staff and auditors, a {@link HolderReason} for data holders. */
    record DecisionResponse(boolean allowed, Enum<?> reason, RuleMode rule, long treeSize, Instant asOf) {
    }

    record BatchRequest(String projectId, Instant asOf, Long treeSize, List<String> persons) {
    }

    /** One row of a batch answer: a decision, or the error that made the row unreadable. */
    record Row(int index, Boolean allowed, Enum<?> reason, String error) {
    }

    record BatchResponse(String projectId, RuleMode rule, long treeSize, Instant asOf, long allowed, long excluded,
                         long errors, List<Row> decisions) {
    }

    record Status(long treeSize, long logSize, long lag, RuleMode rule) {
    }

    private final DecisionProjection readModel;
    private final Pseudonymiser pseudonymiser;
    private final DecisionProperties properties;
    private final VerifiableLog log;
    private final Clock clock;
    private final ReadModelAdmin readModelAdmin;
    private final HolderScope holderScope;

    DecisionController(DecisionProjection readModel, Pseudonymiser pseudonymiser, DecisionProperties properties,
                       VerifiableLog log, Clock clock, ReadModelAdmin readModelAdmin, HolderScope holderScope) {
        this.holderScope = holderScope;
        this.readModelAdmin = readModelAdmin;
        this.readModel = readModel;
        this.pseudonymiser = pseudonymiser;
        this.properties = properties;
        this.log = log;
        this.clock = clock;
    }

    @PostMapping
    @Operation(summary = "Decide for one person; asOf defaults to now, treeSize to the latest the read model holds")
    DecisionResponse decide(@RequestBody DecisionRequest request, Authentication caller) {
        // a holder's scope first: nothing about another project (not even when it was registered) may leak
        boolean holder = holderScope.check(caller, request.projectId(), request.asOf(), request.treeSize());
        long treeSize = treeSize(request.treeSize());
        Instant asOf = request.asOf() != null ? request.asOf() : clock.instant();
        requireProject(request.projectId(), treeSize);
        Decision d = readModel.decide(person(request.person()), request.projectId(), asOf, treeSize, properties.rule());
        return new DecisionResponse(d.allowed(), told(d.reason(), holder), d.rule(), treeSize, asOf);
    }

    /** What the caller may learn of a decision's reason. */
    private static Enum<?> told(Reason reason, boolean holder) {
        return holder ? HolderReason.of(reason) : reason;
    }

    @PostMapping("/batch")
    @Operation(summary = "Decide for many persons of one project; a bad row gets an error, not the whole batch")
    BatchResponse batch(@RequestBody BatchRequest request, Authentication caller) {
        boolean holder = holderScope.check(caller, request.projectId(), request.asOf(), request.treeSize());
        if (request.persons() == null || request.persons().isEmpty()) {
            throw new InvalidRequestException("persons must list at least one person");
        }
        if (request.persons().size() > properties.maxBatch()) {
            throw new InvalidRequestException("at most " + properties.maxBatch() + " persons per batch");
        }
        long treeSize = treeSize(request.treeSize());
        Instant asOf = request.asOf() != null ? request.asOf() : clock.instant();
        requireProject(request.projectId(), treeSize);
        List<Row> rows = new ArrayList<>(request.persons().size());
        long allowed = 0;
        long errors = 0;
        for (int i = 0; i < request.persons().size(); i++) {
            try {
                Decision d = readModel.decide(person(request.persons().get(i)), request.projectId(), asOf, treeSize,
                        properties.rule());
                rows.add(new Row(i, d.allowed(), told(d.reason(), holder), null));
                allowed += d.allowed() ? 1 : 0;
            } catch (InvalidRequestException e) {
                rows.add(new Row(i, null, null, e.getMessage()));
                errors++;
            }
        }
        return new BatchResponse(request.projectId(), properties.rule(), treeSize, asOf, allowed,
                rows.size() - allowed - errors, errors, rows);
    }

    @PostMapping("/read-model/rebuild")
    @Operation(summary = "Rebuild the decision read model from the event store (admin); decisions wait for it")
    Status rebuild() {
        readModelAdmin.rebuild();
        return status();
    }

    @GetMapping("/status")
    @Operation(summary = "How far the decision read model has caught up with the log")
    Status status() {
        long logSize = log.refresh();
        long treeSize = readModel.treeSize();
        return new Status(treeSize, logSize, Math.max(0, logSize - treeSize), properties.rule());
    }

    private long treeSize(Long requested) {
        long reached = readModel.treeSize();
        if (requested == null) {
            return reached;
        }
        if (requested < 0) {
            throw new InvalidRequestException("treeSize must not be negative");
        }
        if (requested > reached) {
            long logSize = log.refresh(); // only off the fast path: the read model is behind what was asked
            if (requested <= logSize && caughtUp(requested)) {
                return requested;
            }
            if (requested > logSize) {
                throw new InvalidRequestException("treeSize " + requested + " is beyond the log, which holds "
                        + logSize + " entries; ask for a tree size up to " + logSize);
            }
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "the decision read model has reached "
                    + "tree size " + reached + "; ask again shortly or for a smaller tree size");
        }
        return requested;
    }

    /** Waits a little for the read model to reach a size the log holds: another node wrote it a moment ago. */
    private boolean caughtUp(long requested) {
        long deadline = System.nanoTime() + properties.waitForTreeSize().toNanos();
        while (readModel.treeSize() < requested) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void requireProject(String projectId, long treeSize) {
        if (projectId == null || projectId.isBlank()) {
            throw new InvalidRequestException("projectId is required");
        }
        if (!readModel.knowsProject(projectId, treeSize)) {
            throw new NotFoundException("no project '" + projectId + "' in the register at tree size " + treeSize);
        }
    }

    /** A ledger pseudonym is used as is; anything else must be a valid NIR. */
    private String person(String value) {
        if (Pseudonymiser.isPseudonym(value)) {
            return value;
        }
        return pseudonymiser.pseudonymise(Nir.parse(value));
    }
}
