package eu.ehds.rights.portal.citizen;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.notifications.contact.Contacts;
import eu.ehds.rights.notifications.inbox.Inbox;
import eu.ehds.rights.notifications.vault.ContentVault;
import eu.ehds.rights.notifications.vault.FindingContent;
import eu.ehds.rights.portal.web.FieldError;
import eu.ehds.rights.portal.web.PortalPage;
import eu.ehds.rights.projections.register.ProjectSheet;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "My notifications": the notices of significant findings delivered to the person's inbox, their text read from
 * the vault, and the e-mail address at which the person wants to be told that one is waiting (kept encrypted outside
 * the log, and erasable).
 */
@Controller
@PortalPage
@RequestMapping("/my/notifications")
class NotificationPagesController {

    private final Subjects subjects;
    private final Inbox inbox;
    private final ContentVault vault;
    private final Contacts contacts;
    private final PublicRegisterProjection register;
    private final MessageSource messages;
    private final Clock clock;

    NotificationPagesController(Subjects subjects, Inbox inbox, ContentVault vault, Contacts contacts,
                                PublicRegisterProjection register, MessageSource messages, Clock clock) {
        this.subjects = subjects;
        this.inbox = inbox;
        this.vault = vault;
        this.contacts = contacts;
        this.register = register;
        this.messages = messages;
        this.clock = clock;
    }

    /** A notice as the person reads it; {@code notice} is null once its content was erased. */
    public record Notice(Inbox.Message message, String projectTitle, String notice) {
    }

    @GetMapping
    String inbox(@AuthenticationPrincipal CitizenPrincipal citizen,
                 @RequestParam(name = "for", required = false) String forMandate, Model model) {
        Subject subject = subjects.resolve(citizen, forMandate);
        model.addAttribute("subject", subject);
        model.addAttribute("forMandate", subject.forParameter());
        model.addAttribute("mandates", subjects.heldNow(citizen));
        model.addAttribute("notices", inbox.of(subject.pseudonym()).stream()
                .map(m -> new Notice(m, register.sheet(m.projectId()).map(ProjectSheet::title).orElse(m.projectId()),
                        FindingContent.load(vault, m.findingId()).map(FindingContent::personNotice).orElse(null)))
                .toList());
        model.addAttribute("email", contacts.email(subject.pseudonym()).orElse(null));
        return "citizen/notifications";
    }

    @PostMapping("/{findingId}/read")
    String read(@AuthenticationPrincipal CitizenPrincipal citizen,
                @RequestParam(name = "for", required = false) String forMandate, @PathVariable String findingId,
                RedirectAttributes redirect) {
        Subject subject = subjects.resolve(citizen, forMandate);
        inbox.markRead(findingId, subject.pseudonym(), clock.instant()); // only the subject's own message changes
        return back(subject, redirect);
    }

    @PostMapping("/contact")
    String setEmail(@AuthenticationPrincipal CitizenPrincipal citizen,
                    @RequestParam(name = "for", required = false) String forMandate, @RequestParam String email,
                    Model model, Locale locale, RedirectAttributes redirect) {
        Subject subject = subjects.resolve(citizen, forMandate);
        try {
            contacts.setEmail(subject.pseudonym(), email);
        } catch (InvalidRequestException e) {
            model.addAttribute("errors", List.of(new FieldError("email",
                    messages.getMessage("notifications.error.email", null, locale))));
            model.addAttribute("typedEmail", email); // given back, to be corrected rather than typed again
            return inbox(citizen, forMandate, model);
        }
        redirect.addFlashAttribute("notice", messages.getMessage("notifications.email.saved", null, locale));
        return back(subject, redirect);
    }

    @PostMapping("/contact/erasure")
    String eraseEmail(@AuthenticationPrincipal CitizenPrincipal citizen,
                      @RequestParam(name = "for", required = false) String forMandate, Locale locale,
                      RedirectAttributes redirect) {
        Subject subject = subjects.resolve(citizen, forMandate);
        contacts.erase(subject.pseudonym());
        redirect.addFlashAttribute("notice", messages.getMessage("notifications.email.erased", null, locale));
        return back(subject, redirect);
    }

    private static String back(Subject subject, RedirectAttributes redirect) {
        if (!subject.self()) {
            redirect.addAttribute("for", subject.forParameter());
        }
        return "redirect:/my/notifications";
    }
}
