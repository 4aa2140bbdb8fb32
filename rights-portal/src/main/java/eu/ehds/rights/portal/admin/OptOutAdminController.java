package eu.ehds.rights.portal.admin;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.choice.OptOuts;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The assisted channel: staff enter opt-outs and withdrawals received by post, phone or at a desk. */
@RestController
@RequestMapping("/api/v1/opt-outs")
@Tag(name = "Opt-outs (staff)")
class OptOutAdminController {

    /** {@code person} is the NIR; it is pseudonymised before anything else happens. */
    record OptOutRequest(String person, OptOutScope scope, Channel channel, String idempotencyKey) {
    }

    private final OptOuts optOuts;
    private final Pseudonymiser pseudonymiser;

    OptOutAdminController(OptOuts optOuts, Pseudonymiser pseudonymiser) {
        this.optOuts = optOuts;
        this.pseudonymiser = pseudonymiser;
    }

    @PostMapping
    @Operation(summary = "Register an opt-out (EHDS Art. 71) for a person identified by NIR")
    ResponseEntity<ReceiptResponse> register(@RequestBody OptOutRequest request, Principal staff) {
        String person = pseudonymiser.pseudonymise(Nir.parse(request.person()));
        return ReceiptResponse.created(optOuts.register(person, request.scope(), request.channel(),
                StaffActor.of(staff), request.idempotencyKey()));
    }

    @PostMapping("/withdrawals")
    @Operation(summary = "Withdraw an opt-out")
    ResponseEntity<ReceiptResponse> withdraw(@RequestBody OptOutRequest request, Principal staff) {
        String person = pseudonymiser.pseudonymise(Nir.parse(request.person()));
        return ReceiptResponse.created(optOuts.withdraw(person, request.scope(), request.channel(),
                StaffActor.of(staff), request.idempotencyKey()));
    }
}
