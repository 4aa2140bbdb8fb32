package eu.ehds.rights.portal.admin;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.mandate.MandateKind;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.mandate.Mandates;
import eu.ehds.rights.portal.security.ApiKeys;
import eu.ehds.rights.portal.security.HolderAccounts;
import eu.ehds.rights.portal.web.PortalPage;
import eu.ehds.rights.projections.mandate.MandateProjection;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Staff pages for who may act: data holders' accounts and API keys, and representatives' mandates. */
@Controller
@PortalPage
@RequestMapping("/admin")
class AccessAdminPagesController {

    private final HolderAccounts accounts;
    private final ApiKeys apiKeys;
    private final Mandates grants;
    private final MandateProjection mandates;
    private final Pseudonymiser pseudonymiser;
    private final MessageSource messages;
    private final Clock clock;

    AccessAdminPagesController(HolderAccounts accounts, ApiKeys apiKeys, Mandates grants,
                               MandateProjection mandates, Pseudonymiser pseudonymiser, MessageSource messages,
                               Clock clock) {
        this.accounts = accounts;
        this.apiKeys = apiKeys;
        this.grants = grants;
        this.mandates = mandates;
        this.pseudonymiser = pseudonymiser;
        this.messages = messages;
        this.clock = clock;
    }


    @GetMapping("/data-holders")
    String dataHolders(Model model) {
        model.addAttribute("accounts", accounts.list());
        return "admin/data-holders";
    }

    @PostMapping("/data-holders/accounts")
    String createAccount(@RequestParam String username, @RequestParam String dataHolder, Model model,
                         HttpServletResponse response) {
        return AdminPagesController.attempt(() -> {
            model.addAttribute("issued", accounts.create(username, dataHolder));
            return dataHolders(model);
        }, "username", model, response, () -> dataHolders(model));
    }

    @PostMapping("/data-holders/accounts/{username}/password")
    String resetPassword(@PathVariable String username, Model model, HttpServletResponse response) {
        return AdminPagesController.attempt(() -> {
            model.addAttribute("issued", accounts.resetPassword(username));
            return dataHolders(model);
        }, "username", model, response, () -> dataHolders(model));
    }

    @PostMapping("/data-holders/accounts/{username}/disable")
    String disable(@PathVariable String username, Model model, HttpServletResponse response) {
        return AdminPagesController.attempt(() -> {
            accounts.disable(username);
            return dataHolders(model);
        }, "username", model, response, () -> dataHolders(model));
    }

    @GetMapping("/data-holders/{dataHolder}/api-keys")
    String keys(@PathVariable String dataHolder, Model model) {
        model.addAttribute("holder", dataHolder);
        model.addAttribute("keys", apiKeys.list(dataHolder));
        return "admin/api-keys";
    }

    @PostMapping("/data-holders/{dataHolder}/api-keys")
    String issueKey(@PathVariable String dataHolder, @RequestParam(required = false) String label, Model model,
                    java.security.Principal staff) {
        model.addAttribute("issued", apiKeys.issue(dataHolder, label, "staff:" + staff.getName()));
        return keys(dataHolder, model);
    }

    @PostMapping("/data-holders/{dataHolder}/api-keys/{keyId}/revocation")
    String revokeKey(@PathVariable String dataHolder, @PathVariable String keyId, RedirectAttributes redirect) {
        apiKeys.revoke(dataHolder, keyId);
        redirect.addAttribute("holder", dataHolder);
        return "redirect:/admin/data-holders/{holder}/api-keys";
    }

    @GetMapping("/mandates")
    String mandates(Model model) {
        model.addAttribute("mandates", mandates.all());
        model.addAttribute("kinds", MandateKind.values());
        model.addAttribute("idempotencyKey", AdminPagesController.newKey());
        model.addAttribute("now", clock.instant());
        return "admin/mandates";
    }

    @PostMapping("/mandates")
    String grant(@RequestParam String representative, @RequestParam String represented, @RequestParam String kind,
                 @RequestParam String validUntil, @RequestParam String idempotencyKey, Principal staff, Model model,
                 HttpServletResponse response, Locale locale, RedirectAttributes redirect) {
        return AdminPagesController.attempt(() -> {
            String rep = pseudonymiser.pseudonymise(Nir.parse(representative));
            String person = pseudonymiser.pseudonymise(Nir.parse(represented));
            MandateKind k = Arrays.stream(MandateKind.values()).filter(m -> m.name().equals(kind)).findFirst()
                    .orElseThrow(() -> new InvalidRequestException("choose the kind of mandate"));
            Instant until;
            try {
                until = LocalDate.parse(validUntil).plusDays(1).atStartOfDay(AdminPagesController.ZONE).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("validUntil must be a date (YYYY-MM-DD)");
            }
            CommandReceipt receipt = grants.grant(rep, person, k, until, StaffActor.of(staff), idempotencyKey);
            redirect.addFlashAttribute("notice", messages.getMessage("admin.mandate.granted",
                    new Object[] {receipt.aggregateId()}, locale));
            return "redirect:/admin/mandates";
        }, "representative", model, response, () -> mandates(model));
    }

    @PostMapping("/mandates/{mandateId}/revocation")
    String revoke(@PathVariable String mandateId, @RequestParam String reason, @RequestParam String idempotencyKey,
                  Principal staff, Model model, HttpServletResponse response, Locale locale,
                  RedirectAttributes redirect) {
        return AdminPagesController.attempt(() -> {
            grants.revoke(mandateId, reason, StaffActor.of(staff), idempotencyKey);
            redirect.addFlashAttribute("notice", messages.getMessage("admin.mandate.revoked",
                    new Object[] {mandateId}, locale));
            return "redirect:/admin/mandates";
        }, "reason-" + mandateId, model, response, () -> mandates(model));
    }

}
