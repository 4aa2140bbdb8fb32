package eu.ehds.rights.portal.admin;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.optout.RegisterOptOutCommand;
import eu.ehds.rights.ledger.api.optout.WithdrawOptOutCommand;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.time.Clock;
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

    private record Fingerprint(String person, OptOutScope scope, Channel channel) {
    }

    private final LedgerCommands commands;
    private final Pseudonymiser pseudonymiser;
    private final Clock clock;

    OptOutAdminController(LedgerCommands commands, Pseudonymiser pseudonymiser, Clock clock) {
        this.commands = commands;
        this.pseudonymiser = pseudonymiser;
        this.clock = clock;
    }

    @PostMapping
    @Operation(summary = "Register an opt-out (EHDS Art. 71) for a person identified by NIR")
    ResponseEntity<ReceiptResponse> register(@RequestBody OptOutRequest request, Principal staff) {
        String person = pseudonymiser.pseudonymise(Nir.parse(request.person()));
        return ReceiptResponse.created(commands.submit("opt-outs/register",
                new Fingerprint(person, request.scope(), request.channel()), request.idempotencyKey(),
                () -> new RegisterOptOutCommand(person, request.scope(), request.channel(), StaffActor.of(staff),
                        clock.instant(), request.idempotencyKey())));
    }

    @PostMapping("/withdrawals")
    @Operation(summary = "Withdraw an opt-out")
    ResponseEntity<ReceiptResponse> withdraw(@RequestBody OptOutRequest request, Principal staff) {
        String person = pseudonymiser.pseudonymise(Nir.parse(request.person()));
        return ReceiptResponse.created(commands.submit("opt-outs/withdraw",
                new Fingerprint(person, request.scope(), request.channel()), request.idempotencyKey(),
                () -> new WithdrawOptOutCommand(person, request.scope(), request.channel(), StaffActor.of(staff),
                        clock.instant(), request.idempotencyKey())));
    }
}
