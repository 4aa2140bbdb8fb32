package eu.ehds.rights.portal.notification;

import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.finding.Recipient;
import eu.ehds.rights.notifications.outbox.Outbox;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.projections.finding.FindingView;
import eu.ehds.rights.projections.finding.FindingsProjection;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Significant findings over HTTP, one part per actor: projects' data users report (API key {@code rpk_…}); the access
 * body lists, forwards, watches deadlines and dead letters, erases content at the end of retention (staff); data
 * holders read what was forwarded to them and acknowledge it, choosing the recipient (API key {@code rlk_…}).
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Significant findings")
class FindingController {

    record Reported(String findingId, long leafIndex, long treeSize) {
    }

    record Recorded(long leafIndex, long treeSize) {
    }

    record ForwardRequest(String dataHolder, String idempotencyKey) {
    }

    record AcknowledgeRequest(Recipient recipient, String professionalName, String professionalEmail,
                              String idempotencyKey) {
    }

    /** A finding's journey, without the person and without the content. */
    record Summary(String findingId, String projectId, String severity, String stage, Instant reportedAt,
                   String dataHolder, Instant forwardedAt, String recipient, Instant acknowledgedAt,
                   Map<String, FindingView.Outcome> outcomes, Instant dueAt, boolean overdue) {
    }

    record Content(String findingId, String severity, String clinicalSummary, String personNotice) {
    }

    private final Findings findings;
    private final FindingsProjection views;
    private final Outbox outbox;
    private final NotificationProperties properties;
    private final Clock clock;

    FindingController(Findings findings, FindingsProjection views, Outbox outbox, NotificationProperties properties,
                      Clock clock) {
        this.findings = findings;
        this.views = views;
        this.outbox = outbox;
        this.properties = properties;
        this.clock = clock;
    }

    @PostMapping("/findings")
    @Operation(summary = "Report a significant finding about a person (data user of a project; person is a NIR or a "
            + "ledger pseudonym); the content is kept encrypted outside the log")
    ResponseEntity<Reported> report(@RequestBody Findings.Report report, Principal project) {
        CommandReceipt receipt = findings.report(project.getName(), report);
        return ResponseEntity.status(HttpStatus.CREATED).header("Idempotent-Replayed", Boolean.toString(receipt.replayed()))
                .body(new Reported(receipt.aggregateId(), receipt.leafIndex(), receipt.treeSize()));
    }

    @GetMapping("/findings")
    @Operation(summary = "Every finding's journey, with the current hop's deadline (staff)")
    List<Summary> all() {
        return views.all().stream().map(this::summary).toList();
    }

    @GetMapping("/findings/overdue")
    @Operation(summary = "The findings whose current hop is past its deadline (staff)")
    List<Summary> overdue() {
        return views.overdue(deadlines(), clock.instant()).stream().map(this::summary).toList();
    }

    @PostMapping("/findings/{findingId}/forwarding")
    @Operation(summary = "Forward a finding to a data holder named on the project's sheet (staff)")
    ResponseEntity<Recorded> forward(@PathVariable String findingId, @RequestBody ForwardRequest request,
                                     Principal staff) {
        return recorded(findings.forward(findingId, request.dataHolder(), "staff:" + staff.getName(),
                request.idempotencyKey()));
    }

    @GetMapping("/findings/forwarded")
    @Operation(summary = "The findings forwarded to this data holder")
    List<Summary> forwarded(Principal holder) {
        return views.forwardedTo(holder.getName()).stream().map(this::summary).toList();
    }

    @GetMapping("/findings/{findingId}/content")
    @Operation(summary = "A forwarded finding's clinical summary and notice, for the data holder it was forwarded to")
    Content content(@PathVariable String findingId, Principal holder) {
        Findings.Facts facts = findings.forwardedTo(findingId, holder.getName());
        return findings.content(facts)
                .map(c -> new Content(findingId, facts.severity().name(), c.clinicalSummary(), c.personNotice()))
                .orElseThrow(() -> new NotFoundException("the content of this finding was erased"));
    }

    @PostMapping("/findings/{findingId}/acknowledgement")
    @Operation(summary = "Acknowledge a forwarded finding and choose whom to inform (data holder)")
    ResponseEntity<Recorded> acknowledge(@PathVariable String findingId, @RequestBody AcknowledgeRequest request, Principal holder) {
        return recorded(findings.acknowledge(findingId, holder.getName(), request.recipient(),
                request.professionalName(), request.professionalEmail(), request.idempotencyKey()));
    }

    @PostMapping("/findings/{findingId}/content/erasure")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Erase a finding's content for good at the end of retention; the log keeps its hash (staff)")
    void erase(@PathVariable String findingId) {
        if (!findings.eraseContent(findingId)) {
            throw new NotFoundException("the content of this finding was already erased");
        }
    }

    @GetMapping("/notifications/dead-letters")
    @Operation(summary = "Notices that could not be delivered after every attempt (staff)")
    List<Outbox.Entry> deadLetters() {
        return outbox.dead();
    }

    @PostMapping("/notifications/dead-letters/{findingId}/{channel}/retry")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Send a dead letter again (staff); the notice is still delivered at most once")
    void retry(@PathVariable String findingId, @PathVariable String channel) {
        if (!outbox.retry(findingId, channel, clock.instant())) {
            throw new NotFoundException("no dead letter for finding '" + findingId + "' on " + channel);
        }
    }

    private FindingView.Deadlines deadlines() {
        return new FindingView.Deadlines(properties.forwardWithin(), properties.acknowledgeWithin(),
                properties.deliverWithin());
    }

    private Summary summary(FindingView f) {
        FindingView.Deadlines d = deadlines();
        return new Summary(f.findingId(), f.projectId(), f.severity().name(), f.stage().name(), f.reportedAt(),
                f.dataHolder(), f.forwardedAt(), f.recipient() == null ? null : f.recipient().name(), f.acknowledgedAt(),
                f.outcomes(), f.dueAt(d), f.overdue(d, clock.instant()));
    }

    private static ResponseEntity<Recorded> recorded(CommandReceipt receipt) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .header("Idempotent-Replayed", Boolean.toString(receipt.replayed()))
                .body(new Recorded(receipt.leafIndex(), receipt.treeSize()));
    }
}
