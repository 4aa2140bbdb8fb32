package eu.ehds.rights.portal.admin;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.choice.NotificationObjections;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
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

    private final NotificationObjections objections;
    private final Pseudonymiser pseudonymiser;

    ObjectionAdminController(NotificationObjections objections, Pseudonymiser pseudonymiser) {
        this.objections = objections;
        this.pseudonymiser = pseudonymiser;
    }

    @PostMapping
    @Operation(summary = "Register an objection to significant-finding notifications")
    ResponseEntity<ReceiptResponse> register(@RequestBody ObjectionRequest request, Principal staff) {
        String person = pseudonymiser.pseudonymise(Nir.parse(request.person()));
        return ReceiptResponse.created(objections.object(person, request.channel(), StaffActor.of(staff),
                request.idempotencyKey()));
    }

    @PostMapping("/withdrawals")
    @Operation(summary = "Withdraw an objection to significant-finding notifications")
    ResponseEntity<ReceiptResponse> withdraw(@RequestBody ObjectionRequest request, Principal staff) {
        String person = pseudonymiser.pseudonymise(Nir.parse(request.person()));
        return ReceiptResponse.created(objections.withdraw(person, request.channel(), StaffActor.of(staff),
                request.idempotencyKey()));
    }
}
