package eu.ehds.rights.portal.audit;

import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.portal.receipt.ReceiptVerifier;
import eu.ehds.rights.portal.receipt.Receipts;
import eu.ehds.rights.portal.web.FieldError;
import eu.ehds.rights.portal.web.PortalPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    VerifyPageController(Receipts receipts, NoteSigner signer, MessageSource messages) {
        this.receipts = receipts;
        this.signer = signer;
        this.messages = messages;
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
        return "audit/verify";
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
