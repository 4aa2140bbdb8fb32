package eu.ehds.rights.portal.admin;

import eu.ehds.rights.ledger.api.mandate.GrantMandateCommand;
import eu.ehds.rights.ledger.api.mandate.MandateKind;
import eu.ehds.rights.ledger.api.mandate.RevokeMandateCommand;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Staff record who may act for a minor or a protected adult, and until when. */
@RestController
@RequestMapping("/api/v1/mandates")
@Tag(name = "Representative mandates (staff)")
class MandateAdminController {

    /** {@code representative} and {@code represented} are NIRs. */
    record GrantRequest(String representative, String represented, MandateKind kind, Instant validUntil,
                        String idempotencyKey) {
    }

    record RevokeRequest(String reason, String idempotencyKey) {
    }

    record MandateResponse(String mandateId, long leafIndex, long treeSize) {
    }

    private record GrantFingerprint(String representative, String represented, MandateKind kind, Instant validUntil) {
    }

    private record RevokeFingerprint(String mandateId, String reason) {
    }

    private final LedgerCommands commands;
    private final Pseudonymiser pseudonymiser;
    private final Clock clock;

    MandateAdminController(LedgerCommands commands, Pseudonymiser pseudonymiser, Clock clock) {
        this.commands = commands;
        this.pseudonymiser = pseudonymiser;
        this.clock = clock;
    }

    @PostMapping
    @Operation(summary = "Grant a representative mandate")
    ResponseEntity<MandateResponse> grant(@RequestBody GrantRequest request, Principal staff) {
        String representative = pseudonymiser.pseudonymise(Nir.parse(request.representative()));
        String represented = pseudonymiser.pseudonymise(Nir.parse(request.represented()));
        CommandReceipt receipt = commands.submit("mandates/grant",
                new GrantFingerprint(representative, represented, request.kind(), request.validUntil()),
                request.idempotencyKey(),
                () -> new GrantMandateCommand("mdt-" + UUID.randomUUID(), representative, represented, request.kind(),
                        request.validUntil(), StaffActor.of(staff), clock.instant(), request.idempotencyKey()));
        return ReceiptResponse.created(receipt,
                new MandateResponse(receipt.aggregateId(), receipt.leafIndex(), receipt.treeSize()));
    }

    @PostMapping("/{mandateId}/revocation")
    @Operation(summary = "Revoke a representative mandate")
    ResponseEntity<ReceiptResponse> revoke(@PathVariable String mandateId, @RequestBody RevokeRequest request,
                                           Principal staff) {
        return ReceiptResponse.created(commands.submit("mandates/revoke",
                new RevokeFingerprint(mandateId, request.reason()), request.idempotencyKey(),
                () -> new RevokeMandateCommand(mandateId, request.reason(), StaffActor.of(staff), clock.instant(),
                        request.idempotencyKey())));
    }
}
