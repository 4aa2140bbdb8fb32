package eu.ehds.rights.portal.admin;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.objection.RegisterNotificationObjectionCommand;
import eu.ehds.rights.ledger.api.objection.WithdrawNotificationObjectionCommand;
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

/** Staff record a person's objection to being informed of significant findings (EHDS Art. 58(3)). */
@RestController
@RequestMapping("/api/v1/notification-objections")
@Tag(name = "Notification objections (staff)")
class ObjectionAdminController {

    record ObjectionRequest(String person, Channel channel, String idempotencyKey) {
    }

    private record Fingerprint(String person, Channel channel) {
    }

    private final LedgerCommands commands;
    private final Pseudonymiser pseudonymiser;
    private final Clock clock;

    ObjectionAdminController(LedgerCommands commands, Pseudonymiser pseudonymiser, Clock clock) {
        this.commands = commands;
        this.pseudonymiser = pseudonymiser;
        this.clock = clock;
    }

    @PostMapping
    @Operation(summary = "Register an objection to significant-finding notifications")
    ResponseEntity<ReceiptResponse> register(@RequestBody ObjectionRequest request, Principal staff) {
        String person = pseudonymiser.pseudonymise(Nir.parse(request.person()));
        return ReceiptResponse.created(commands.submit("notification-objections/register",
                new Fingerprint(person, request.channel()), request.idempotencyKey(),
                () -> new RegisterNotificationObjectionCommand(person, request.channel(), StaffActor.of(staff),
                        clock.instant(), request.idempotencyKey())));
    }

    @PostMapping("/withdrawals")
    @Operation(summary = "Withdraw an objection to significant-finding notifications")
    ResponseEntity<ReceiptResponse> withdraw(@RequestBody ObjectionRequest request, Principal staff) {
        String person = pseudonymiser.pseudonymise(Nir.parse(request.person()));
        return ReceiptResponse.created(commands.submit("notification-objections/withdraw",
                new Fingerprint(person, request.channel()), request.idempotencyKey(),
                () -> new WithdrawNotificationObjectionCommand(person, request.channel(), StaffActor.of(staff),
                        clock.instant(), request.idempotencyKey())));
    }
}
