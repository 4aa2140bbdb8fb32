package eu.ehds.rights.portal.notification;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.common.Require;
import eu.ehds.rights.ledger.api.finding.AcknowledgeFindingCommand;
import eu.ehds.rights.ledger.api.finding.ForwardFindingCommand;
import eu.ehds.rights.ledger.api.finding.Recipient;
import eu.ehds.rights.ledger.api.finding.ReportSignificantFindingCommand;
import eu.ehds.rights.ledger.api.finding.Severity;
import eu.ehds.rights.ledger.api.finding.SignificantFindingForwarded;
import eu.ehds.rights.ledger.api.finding.SignificantFindingReported;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.notifications.contact.Contacts;
import eu.ehds.rights.notifications.vault.ContentVault;
import eu.ehds.rights.notifications.vault.FindingContent;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import eu.ehds.rights.projections.register.ProjectSheet;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Service;

/**
 * The hops of a significant finding, for every actor: the project reports it (content into the vault, its salted
 * hash into the log), the access body forwards it to a data holder named on the project's sheet, that holder reads it
 * and chooses whom to inform. Delivery then follows on its own (see the notifications module).
 */
@Service
public class Findings {

    /** What a project reports. {@code person} is a NIR or a ledger pseudonym. */
    public record Report(String person, Severity severity, String clinicalSummary, String personNotice,
                         String idempotencyKey) {
    }

    private record ReportFingerprint(String projectId, String person, Severity severity, String contentSha256) {
    }

    private final LedgerCommands commands;
    private final ContentVault vault;
    private final Pseudonymiser pseudonymiser;
    private final EventStore eventStore;
    private final PublicRegisterProjection register;
    private final Clock clock;

    Findings(LedgerCommands commands, ContentVault vault, Pseudonymiser pseudonymiser, EventStore eventStore,
             PublicRegisterProjection register, Clock clock) {
        this.commands = commands;
        this.vault = vault;
        this.pseudonymiser = pseudonymiser;
        this.eventStore = eventStore;
        this.register = register;
        this.clock = clock;
    }

    /**
     * Records a project's finding. The content is stored before the event, so that no event exists without it; a
     * retry with the same key finds the same finding id and content, and records nothing more.
     */
    public CommandReceipt report(String projectId, Report r) {
        Require.idempotencyKey(r.idempotencyKey());
        String summary = Require.text(r.clinicalSummary(), "clinicalSummary", 4000);
        String notice = Require.text(r.personNotice(), "personNotice", 2000);
        Require.present(r.severity(), "severity");
        String person = Pseudonymiser.isPseudonym(r.person()) ? r.person() : pseudonymiser.pseudonymise(Nir.parse(r.person()));
        String findingId = "fnd-" + UUID.nameUUIDFromBytes((projectId + "\n" + r.idempotencyKey())
                .getBytes(StandardCharsets.UTF_8));
        java.util.Optional<FindingContent> stored = FindingContent.load(vault, findingId);
        if (stored.isPresent() && !(stored.get().clinicalSummary().equals(summary)
                && stored.get().personNotice().equals(notice))) {
            throw new ConflictException("idempotencyKey '" + r.idempotencyKey() + "' was already used for a different "
                    + "finding; use a new key for a new finding");
        }
        FindingContent content = stored.orElseGet(() -> FindingContent.of(summary, notice));
        if (stored.isEmpty()) {
            content.store(vault, findingId);
        }
        return commands.submit("findings/report", new ReportFingerprint(projectId, person, r.severity(),
                        content.commitment()), r.idempotencyKey(),
                () -> new ReportSignificantFindingCommand(findingId, projectId, person, r.severity(),
                        content.commitment(), "data-user:" + projectId, clock.instant(), r.idempotencyKey()));
    }

    public CommandReceipt forward(String findingId, String dataHolder, String staff, String idempotencyKey) {
        Require.text(dataHolder, "dataHolder", 200);
        Facts finding = facts(findingId);
        ProjectSheet sheet = register.sheet(finding.projectId())
                .orElseThrow(() -> new NotFoundException("no project '" + finding.projectId() + "' in the register"));
        if (!sheet.dataHolders().contains(dataHolder)) {
            throw new InvalidRequestException("data holder '" + dataHolder + "' is not named on the project's sheet; "
                    + "choose one of " + sheet.dataHolders());
        }
        return commands.submit("findings/forward", List.of(findingId, dataHolder), idempotencyKey,
                () -> new ForwardFindingCommand(findingId, dataHolder, staff, clock.instant(), idempotencyKey));
    }

    /** What the ledger holds of a finding, read from its own event stream: exact, with no read model lag. */
    public record Facts(String findingId, String projectId, Severity severity, String dataHolder) {
    }

    /** The finding as a data holder may see it: only if it was forwarded to that holder. */
    public Facts forwardedTo(String findingId, String dataHolder) {
        Facts finding = facts(findingId);
        if (!dataHolder.equals(finding.dataHolder())) {
            throw new NotFoundException("no finding '" + findingId + "' was forwarded to this data holder");
        }
        return finding;
    }

    /** The content of a finding the holder was found to have received ({@link #forwardedTo}); empty once erased. */
    public java.util.Optional<FindingContent> content(Facts forwarded) {
        return FindingContent.load(vault, forwarded.findingId());
    }

    /**
     * The data holder chooses whom to inform; for a treating professional, their name and address go into the
     * vault with the content, never into the log. They go there only once the ledger accepted this very
     * acknowledgement (a refused or different one must not change where the notice goes); the delivery waits for
     * them. The request's fingerprint covers every field, the professional's too.
     */
    public CommandReceipt acknowledge(String findingId, String dataHolder, Recipient recipient, String professionalName,
                                      String professionalEmail, String idempotencyKey) {
        forwardedTo(findingId, dataHolder);
        Require.present(recipient, "recipient");
        String name = null;
        String email = null;
        if (recipient == Recipient.TREATING_PROFESSIONAL) {
            name = Require.text(professionalName, "professionalName", 200);
            email = Contacts.validEmail(professionalEmail);
            if (FindingContent.load(vault, findingId).isEmpty()) {
                throw new ConflictException(
                        "the content of this finding was erased: it can no longer be passed to a professional");
            }
        }
        CommandReceipt receipt = commands.submit("findings/acknowledge",
                new AcknowledgeFingerprint(findingId, dataHolder, recipient, name, email), idempotencyKey,
                () -> new AcknowledgeFindingCommand(findingId, dataHolder, recipient, "data-holder:" + dataHolder,
                        clock.instant(), idempotencyKey));
        if (recipient == Recipient.TREATING_PROFESSIONAL) {
            // accepted (or this same request answered again): now, and only now, where the notice goes
            String professional = name;
            String address = email;
            FindingContent.load(vault, findingId).ifPresent(c -> c.withProfessional(professional, address)
                    .store(vault, findingId));
        }
        return receipt;
    }

    private record AcknowledgeFingerprint(String findingId, String dataHolder, Recipient recipient,
                                          String professionalName, String professionalEmail) {
    }

    /** Erases the clinical content for good (retention ended); the log keeps its hash. True if there was content. */
    public boolean eraseContent(String findingId) {
        facts(findingId);
        return vault.shred(FindingContent.recordId(findingId));
    }

    private Facts facts(String findingId) {
        String projectId = null;
        Severity severity = null;
        String dataHolder = null;
        DomainEventStream events = eventStore.readEvents(findingId);
        while (events.hasNext()) {
            Object event = events.next().getPayload();
            if (event instanceof SignificantFindingReported e) {
                projectId = e.projectId();
                severity = e.severity();
            } else if (event instanceof SignificantFindingForwarded e) {
                dataHolder = e.dataHolder();
            }
        }
        if (projectId == null) {
            throw new NotFoundException("no finding '" + findingId + "'");
        }
        return new Facts(findingId, projectId, severity, dataHolder);
    }
}
