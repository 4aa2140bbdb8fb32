package eu.ehds.rights.portal.admin;

import eu.ehds.rights.ledger.api.mandate.MandateKind;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.mandate.Mandates;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.time.Instant;
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


    private final Mandates mandates;
    private final Pseudonymiser pseudonymiser;

    MandateAdminController(Mandates mandates, Pseudonymiser pseudonymiser) {
        this.mandates = mandates;
        this.pseudonymiser = pseudonymiser;
    }

    @PostMapping
    @Operation(summary = "Grant a representative mandate")
    ResponseEntity<MandateResponse> grant(@RequestBody GrantRequest request, Principal staff) {
        String representative = pseudonymiser.pseudonymise(Nir.parse(request.representative()));
        String represented = pseudonymiser.pseudonymise(Nir.parse(request.represented()));
        CommandReceipt receipt = mandates.grant(representative, represented, request.kind(), request.validUntil(),
                StaffActor.of(staff), request.idempotencyKey());
        return ReceiptResponse.created(receipt,
                new MandateResponse(receipt.aggregateId(), receipt.leafIndex(), receipt.treeSize()));
    }

    @PostMapping("/{mandateId}/revocation")
    @Operation(summary = "Revoke a representative mandate")
    ResponseEntity<ReceiptResponse> revoke(@PathVariable String mandateId, @RequestBody RevokeRequest request,
                                           Principal staff) {
        return ReceiptResponse.created(mandates.revoke(mandateId, request.reason(), StaffActor.of(staff),
                request.idempotencyKey()));
    }
}
