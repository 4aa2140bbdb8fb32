package eu.ehds.rights.portal.admin;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.choice.Consents;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.time.LocalDate;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The assisted channel for consents: staff enter consents and withdrawals received by post or at a desk. */
@RestController
@RequestMapping("/api/v1/consents")
@Tag(name = "Consents (staff)")
class ConsentAdminController {

    /**
     * {@code person} is the NIR, pseudonymised before anything else happens; {@code noticeSha256} is the SHA-256 of
     * the information notice the person was shown; {@code validUntil} (optional) the last day the consent holds.
     */
    record ConsentRequest(String person, OptOutScope scope, Channel channel, LocalDate validUntil,
                          String noticeSha256, String idempotencyKey) {
    }

    private final Consents consents;
    private final Pseudonymiser pseudonymiser;

    ConsentAdminController(Consents consents, Pseudonymiser pseudonymiser) {
        this.consents = consents;
        this.pseudonymiser = pseudonymiser;
    }

    @PostMapping
    @Operation(summary = "Record a consent to secondary use for a person identified by NIR")
    ResponseEntity<ReceiptResponse> give(@RequestBody ConsentRequest request, Principal staff) {
        String person = pseudonymiser.pseudonymise(Nir.parse(request.person()));
        return ReceiptResponse.created(consents.give(person, request.scope(), assisted(request.channel()),
                StaffActor.of(staff),
                request.validUntil(), request.noticeSha256(), request.idempotencyKey()));
    }

    @PostMapping("/withdrawals")
    @Operation(summary = "Withdraw a consent; extracts made after it no longer include the person")
    ResponseEntity<ReceiptResponse> withdraw(@RequestBody ConsentRequest request, Principal staff) {
        String person = pseudonymiser.pseudonymise(Nir.parse(request.person()));
        return ReceiptResponse.created(consents.withdraw(person, request.scope(), assisted(request.channel()),
                StaffActor.of(staff), request.idempotencyKey()));
    }

    /** Staff record what reached them by post, phone or at a desk; the portal's channels are the citizens' own. */
    private static Channel assisted(Channel channel) {
        if (channel == Channel.PORTAL || channel == Channel.REPRESENTATIVE) {
            throw new InvalidRequestException("channel must be POST, PHONE or DESK: consents given on the portal "
                    + "are recorded by the portal");
        }
        return channel;
    }
}
