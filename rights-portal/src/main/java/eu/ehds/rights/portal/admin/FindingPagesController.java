package eu.ehds.rights.portal.admin;

import eu.ehds.rights.notifications.outbox.Outbox;
import eu.ehds.rights.portal.notification.Findings;
import eu.ehds.rights.portal.notification.NotificationProperties;
import eu.ehds.rights.portal.web.PortalPage;
import eu.ehds.rights.projections.finding.FindingView;
import eu.ehds.rights.projections.finding.FindingsProjection;
import eu.ehds.rights.projections.register.ProjectSheet;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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

/**
 * The access body's page for significant findings: every finding's hops and deadline (overdue ones first), the
 * forwarding to a data holder, notices that could not be delivered (dead letters) with a retry, and the erasure of a
 * finding's content at the end of its retention.
 */
@Controller
@PortalPage
@RequestMapping("/admin/findings")
class FindingPagesController {

    private final Findings findings;
    private final FindingsProjection views;
    private final PublicRegisterProjection register;
    private final Outbox outbox;
    private final NotificationProperties properties;
    private final MessageSource messages;
    private final Clock clock;

    FindingPagesController(Findings findings, FindingsProjection views, PublicRegisterProjection register,
                           Outbox outbox, NotificationProperties properties, MessageSource messages, Clock clock) {
        this.findings = findings;
        this.views = views;
        this.register = register;
        this.outbox = outbox;
        this.properties = properties;
        this.messages = messages;
        this.clock = clock;
    }

    /** A finding as staff see it: its hops, deadline, and the holders it may be forwarded to. */
    public record Row(FindingView finding, String projectTitle, List<String> dataHolders, Instant dueAt,
                      boolean overdue) {
    }

    @GetMapping
    String list(Model model) {
        FindingView.Deadlines deadlines = new FindingView.Deadlines(properties.forwardWithin(),
                properties.acknowledgeWithin(), properties.deliverWithin());
        Instant now = clock.instant();
        model.addAttribute("rows", views.all().stream().map(f -> {
            ProjectSheet sheet = register.sheet(f.projectId()).orElse(null);
            return new Row(f, sheet == null ? f.projectId() : sheet.title(),
                    sheet == null ? List.of() : sheet.dataHolders(), f.dueAt(deadlines), f.overdue(deadlines, now));
        }).sorted((a, b) -> Boolean.compare(b.overdue(), a.overdue())).toList());
        model.addAttribute("deadLetters", outbox.dead());
        model.addAttribute("idempotencyKey", AdminPagesController.newKey());
        return "admin/findings";
    }

    @PostMapping("/{findingId}/forwarding")
    String forward(@PathVariable String findingId, @RequestParam String dataHolder, @RequestParam String idempotencyKey,
                   Principal staff, Model model, HttpServletResponse response, Locale locale,
                   RedirectAttributes redirect) {
        return AdminPagesController.attempt(() -> {
            findings.forward(findingId, dataHolder, StaffActor.of(staff), idempotencyKey);
            redirect.addFlashAttribute("notice", messages.getMessage("admin.findings.forwarded",
                    new Object[] {findingId, dataHolder}, locale));
            return "redirect:/admin/findings";
        }, "holder-" + findingId, model, response, () -> list(model));
    }

    @PostMapping("/{findingId}/{channel}/retry")
    String retry(@PathVariable String findingId, @PathVariable String channel, Locale locale,
                 RedirectAttributes redirect) {
        outbox.retry(findingId, channel, clock.instant());
        redirect.addFlashAttribute("notice", messages.getMessage("admin.findings.retried", null, locale));
        return "redirect:/admin/findings";
    }

    @PostMapping("/{findingId}/content/erasure")
    String erase(@PathVariable String findingId, Locale locale, RedirectAttributes redirect) {
        findings.eraseContent(findingId);
        redirect.addFlashAttribute("notice", messages.getMessage("admin.findings.erased", null, locale));
        return "redirect:/admin/findings";
    }
}
