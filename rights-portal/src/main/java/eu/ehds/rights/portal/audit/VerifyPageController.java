package eu.ehds.rights.portal.audit;

import com.fasterxml.jackson.databind.JsonNode;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.portal.receipt.ReceiptVerifier;
import eu.ehds.rights.portal.receipt.Receipts;
import eu.ehds.rights.portal.web.FieldError;
import eu.ehds.rights.portal.web.Formats;
import eu.ehds.rights.portal.web.PortalPage;
import eu.ehds.rights.projections.register.ProjectSheet;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * Anyone may check a receipt here, pasted or uploaded: each step of {@link ReceiptVerifier}, then whether this
 * ledger's log still has the same root at the receipt's size. The log's public key is shown so that the same check
 * can be made offline.
 */
@Controller
@PortalPage
class VerifyPageController {

    private static final int MAX_RECEIPT = 1 << 20;

    private final Receipts receipts;
    private final NoteSigner signer;
    private final MessageSource messages;
    private final PublicRegisterProjection register;

    VerifyPageController(Receipts receipts, NoteSigner signer, MessageSource messages,
                         PublicRegisterProjection register) {
        this.receipts = receipts;
        this.signer = signer;
        this.messages = messages;
        this.register = register;
    }

    @GetMapping("/verify")
    String form(Model model) {
        key(model);
        return "audit/verify";
    }

    @PostMapping("/verify")
    String verify(@RequestParam(required = false) String receipt, @RequestParam(required = false) MultipartFile file,
                  Model model, Locale locale) throws IOException {
        key(model);
        String json = receipt;
        if (file != null && !file.isEmpty()) {
            if (file.getSize() > MAX_RECEIPT) {
                return error(model, "verify.error.size", locale);
            }
            json = new String(file.getBytes(), StandardCharsets.UTF_8);
        }
        if (json == null || json.isBlank()) {
            return error(model, "verify.error.empty", locale);
        }
        if (json.length() > MAX_RECEIPT) {
            return error(model, "verify.error.size", locale);
        }
        ReceiptVerifier.Report report = receipts.verifyHere(json);
        model.addAttribute("report", report);
        model.addAttribute("steps", report.steps().stream().map(step -> new StepView(step.name(), step.ok(),
                step.code() == null ? step.detail() : messages.getMessage("verify.detail." + step.code(),
                        step.args().toArray(), step.detail(), locale))).toList());
        if (report.valid()) {
            model.addAttribute("summary", summary(report, locale));
        }
        return "audit/verify";
    }

    /**
     * What a valid receipt proves, in the reader's words: what was recorded, when (Paris time), through which channel,
     * which entry of the log it is, and that the log has not been changed since. The steps stay below, for experts.
     */
    private String summary(ReceiptVerifier.Report report, Locale locale) {
        JsonNode event = report.event();
        String type = event.path("type").asText("");
        JsonNode payload = event.path("payload");
        String what;
        if (type.equals("OptOutRegistered") || type.equals("OptOutWithdrawn")) {
            // one sentence per scope type: French contracts "à le projet" into "au projet"
            String scopeType = payload.path("scope").path("type").asText("");
            String value = payload.path("scope").path("value").asText("");
            String named = switch (scopeType) {
                case "PURPOSE" -> messages.getMessage("purpose." + value, null, value, locale);
                case "PROJECT" -> register.sheet(value).map(ProjectSheet::title).orElse(value);
                default -> "";
            };
            what = messages.getMessage("verify.summary." + type + "." + scopeType, new Object[] {named}, locale);
        } else {
            what = messages.getMessage("verify.summary." + type, null, messages.getMessage("verify.summary.other",
                    new Object[] {type}, locale), locale);
        }
        Instant at = Instant.parse(event.path("timestamp").asText());
        Formats formats = new Formats(locale, Formats.PARIS);
        String channel = payload.path("channel").isMissingNode() ? ""
                : messages.getMessage("channel." + payload.path("channel").asText(), null, "", locale);
        return messages.getMessage("verify.summary", new Object[] {formats.date(at), formats.time(at), what, channel,
                String.valueOf(report.leafIndex())}, locale);
    }

    /** A step of the check as the page shows it, in the page's language. */
    record StepView(String name, boolean ok, String text) {
    }

    private String error(Model model, String key, Locale locale) {
        model.addAttribute("errors", List.of(new FieldError("receipt", messages.getMessage(key, null, locale))));
        return "audit/verify";
    }

    private void key(Model model) {
        model.addAttribute("origin", signer.keyName());
        model.addAttribute("publicKey", Base64.getEncoder().encodeToString(signer.publicKey()));
    }
}
