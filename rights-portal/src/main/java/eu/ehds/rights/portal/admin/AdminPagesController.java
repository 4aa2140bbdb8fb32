package eu.ehds.rights.portal.admin;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.choice.Consents;
import eu.ehds.rights.portal.choice.NotificationObjections;
import eu.ehds.rights.portal.choice.OptOuts;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.project.Projects;
import eu.ehds.rights.portal.web.FieldError;
import eu.ehds.rights.portal.web.PortalPage;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import eu.ehds.rights.projections.register.RegisterQuery;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.axonframework.modelling.command.AggregateNotFoundException;
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
 * Access-body staff's pages: the project register (register, permit, derogation, results, closure) and requests
 * received by post, phone or at a desk (opt-outs, withdrawals, objections), entered with the person's NIR, which is
 * pseudonymised before anything else. Every form carries an idempotency key, so a double submission records once.
 */
@Controller
@PortalPage
@RequestMapping("/admin")
class AdminPagesController {

    static final ZoneId ZONE = ZoneId.of("Europe/Paris");

    private final Projects projects;
    private final OptOuts optOuts;
    private final NotificationObjections objections;
    private final Consents consents;
    private final PublicRegisterProjection register;
    private final Pseudonymiser pseudonymiser;
    private final MessageSource messages;
    private final Clock clock;

    AdminPagesController(Projects projects, OptOuts optOuts, NotificationObjections objections, Consents consents,
                         PublicRegisterProjection register, Pseudonymiser pseudonymiser, MessageSource messages,
                         Clock clock) {
        this.projects = projects;
        this.optOuts = optOuts;
        this.objections = objections;
        this.consents = consents;
        this.register = register;
        this.pseudonymiser = pseudonymiser;
        this.messages = messages;
        this.clock = clock;
    }


    @GetMapping
    String home() {
        return "admin/home";
    }

    @GetMapping("/projects")
    String projects(Model model) {
        model.addAttribute("projects", register.search(RegisterQuery.all()));
        model.addAttribute("purposes", PurposeCategory.values());
        model.addAttribute("idempotencyKey", newKey());
        return "admin/projects";
    }

    @PostMapping("/projects")
    String registerProject(@RequestParam String title, @RequestParam String controller,
                           @RequestParam String purposeCategory, @RequestParam String dataHolders,
                           @RequestParam String datasets, @RequestParam String plannedStart,
                           @RequestParam String plannedEnd, @RequestParam String idempotencyKey,
                           @RequestParam(required = false) String titleEn,
                           @RequestParam(required = false) String summaryFr,
                           @RequestParam(required = false) String summaryEn,
                           @RequestParam(required = false) String legalBasis,
                           @RequestParam(required = false) String consentNotice, Principal staff,
                           Model model, HttpServletResponse response, Locale locale, RedirectAttributes redirect) {
        return attempt(() -> {
            List<String> holders = list(dataHolders);
            List<String> sets = list(datasets);
            LocalDate start = date(plannedStart, "plannedStart");
            LocalDate end = date(plannedEnd, "plannedEnd");
            CommandReceipt receipt = projects.register(new Projects.NewProject(title, controller, purposeCategory,
                    holders, sets, start, end, titleEn, summaryFr, summaryEn, legalBasis, consentNotice),
                    StaffActor.of(staff), idempotencyKey);
            redirect.addAttribute("id", receipt.aggregateId());
            redirect.addFlashAttribute("notice", messages.getMessage("admin.recorded",
                    new Object[] {receipt.leafIndex()}, locale));
            return "redirect:/admin/projects/{id}";
        }, "title", model, response, () -> projects(model));
    }

    @GetMapping("/projects/{projectId}")
    String project(@PathVariable String projectId, Model model) {
        model.addAttribute("project", register.sheet(projectId)
                .orElseThrow(() -> new NotFoundException("no project '" + projectId + "' in the register")));
        model.addAttribute("consent", register.consentBasis(projectId).orElse(null));
        model.addAttribute("idempotencyKey", newKey());
        return "admin/project";
    }

    @PostMapping("/projects/{projectId}/permit")
    String permit(@PathVariable String projectId, @RequestParam(required = false) String permitId,
                  @RequestParam(required = false) String approvedAt, @RequestParam String idempotencyKey,
                  Principal staff, Model model, HttpServletResponse response, Locale locale,
                  RedirectAttributes redirect) {
        return projectStep(projectId, "permit", () -> projects.approvePermit(projectId, permitId,
                approvedAt == null || approvedAt.isBlank() ? null : instant(approvedAt, "approvedAt"),
                StaffActor.of(staff), idempotencyKey), model, response, locale, redirect);
    }

    @PostMapping("/projects/{projectId}/derogation")
    String derogation(@PathVariable String projectId, @RequestParam(required = false) String legalGround,
                      @RequestParam(required = false) String justification, @RequestParam String idempotencyKey,
                      Principal staff, Model model, HttpServletResponse response, Locale locale,
                      RedirectAttributes redirect) {
        return projectStep(projectId, "derogation", () -> projects.recordDerogation(projectId, legalGround,
                justification, StaffActor.of(staff), idempotencyKey), model, response, locale, redirect);
    }

    @PostMapping("/projects/{projectId}/results")
    String results(@PathVariable String projectId, @RequestParam(required = false) String summary,
                   @RequestParam(required = false) String resultsUrl, @RequestParam String idempotencyKey,
                   Principal staff, Model model, HttpServletResponse response, Locale locale,
                   RedirectAttributes redirect) {
        return projectStep(projectId, "results", () -> projects.publishResults(projectId, summary, blank(resultsUrl),
                StaffActor.of(staff), idempotencyKey), model, response, locale, redirect);
    }

    @PostMapping("/projects/{projectId}/legal-basis")
    String legalBasis(@PathVariable String projectId, @RequestParam(required = false) String legalBasis,
                      @RequestParam(required = false) String consentNotice, @RequestParam String idempotencyKey,
                      Principal staff, Model model, HttpServletResponse response, Locale locale,
                      RedirectAttributes redirect) {
        return projectStep(projectId, "legal-basis", () -> {
            if (legalBasis == null || legalBasis.isBlank()) {
                throw new InvalidRequestException(messages.getMessage("admin.project.basis.choose", null, locale));
            }
            return projects.setLegalBasis(projectId, legalBasis, blank(consentNotice), StaffActor.of(staff),
                    idempotencyKey);
        }, model, response, locale, redirect);
    }

    @PostMapping("/projects/{projectId}/closure")
    String closure(@PathVariable String projectId, @RequestParam String idempotencyKey, Principal staff, Model model,
                   HttpServletResponse response, Locale locale, RedirectAttributes redirect) {
        return projectStep(projectId, "closure", () -> projects.close(projectId, StaffActor.of(staff),
                idempotencyKey), model, response, locale, redirect);
    }

    /** A step on a project's sheet: recorded, then back to the sheet with the entry's number, or the form again. */
    private String projectStep(String projectId, String step, Supplier<CommandReceipt> recorded,
                               Model model, HttpServletResponse response, Locale locale, RedirectAttributes redirect) {
        return attempt(() -> {
            CommandReceipt receipt = recorded.get();
            redirect.addAttribute("id", projectId);
            redirect.addFlashAttribute("notice", messages.getMessage("admin.recorded",
                    new Object[] {receipt.leafIndex()}, locale));
            return "redirect:/admin/projects/{id}";
        }, step + "-first", model, response, () -> project(projectId, model));
    }

    @GetMapping("/requests")
    String requests(Model model) {
        model.addAttribute("purposes", PurposeCategory.values());
        model.addAttribute("projects", register.search(RegisterQuery.all()));
        model.addAttribute("idempotencyKey", newKey());
        return "admin/requests";
    }

    @PostMapping("/requests")
    String recordRequest(@RequestParam String nir, @RequestParam String request, @RequestParam String channel,
                         @RequestParam(required = false) String scopeType, @RequestParam(required = false) String purpose,
                         @RequestParam(required = false) String projectId, @RequestParam String idempotencyKey,
                         Principal staff, Model model, HttpServletResponse response, Locale locale,
                         RedirectAttributes redirect) {
        return attempt(() -> {
            String person = pseudonymiser.pseudonymise(Nir.parse(nir));
            Channel via = Arrays.stream(Channel.values()).filter(c -> c.name().equals(channel) && c != Channel.PORTAL
                    && c != Channel.REPRESENTATIVE).findFirst()
                    .orElseThrow(() -> new InvalidRequestException("choose how the request was received"));
            String actor = StaffActor.of(staff);
            CommandReceipt receipt = switch (request) {
                case "OPT_OUT", "WITHDRAWAL" -> {
                    OptOutScope scope = scope(scopeType, purpose, projectId, "opt-out");
                    yield request.equals("OPT_OUT") ? optOuts.register(person, scope, via, actor, idempotencyKey)
                            : optOuts.withdraw(person, scope, via, actor, idempotencyKey);
                }
                case "CONSENT", "CONSENT_WITHDRAWAL" -> {
                    OptOutScope scope = scope(scopeType, purpose, projectId, "consent");
                    // at a desk or by post, the person was given the published notice, in French
                    yield request.equals("CONSENT") ? consents.give(person, scope, via, actor, null,
                            Sha256.hex(consents.notice(scope, Locale.FRENCH)), idempotencyKey)
                            : consents.withdraw(person, scope, via, actor, idempotencyKey);
                }
                case "OBJECTION" -> objections.object(person, via, actor, idempotencyKey);
                case "OBJECTION_WITHDRAWAL" -> objections.withdraw(person, via, actor, idempotencyKey);
                default -> throw new InvalidRequestException("choose what the person asks");
            };
            redirect.addFlashAttribute("notice", messages.getMessage("admin.recorded",
                    new Object[] {receipt.leafIndex()}, locale));
            return "redirect:/admin/requests";
        }, "nir", model, response, () -> requests(model));
    }

    /** The scope the staff form chose for an opt-out or a consent. */
    private static OptOutScope scope(String type, String purpose, String projectId, String what) {
        return switch (type == null ? "" : type) {
            case "GLOBAL" -> OptOutScope.global();
            case "PURPOSE" -> OptOutScope.purpose(PurposeCategory.parse(purpose));
            case "PROJECT" -> OptOutScope.project(projectId);
            default -> throw new InvalidRequestException("choose the scope of the " + what);
        };
    }

    /**
     * Runs a form's command; a refusal re-shows the form with the reason in its error summary (400 or 409), and
     * nothing is recorded.
     */
    static String attempt(Supplier<String> action, String field, Model model, HttpServletResponse response,
                          Supplier<String> form) {
        try {
            return action.get();
        } catch (InvalidRequestException | NotFoundException | AggregateNotFoundException e) {
            response.setStatus(400);
            model.addAttribute("errors", List.of(new FieldError(field, e.getMessage())));
        } catch (ConflictException e) {
            response.setStatus(409);
            model.addAttribute("errors", List.of(new FieldError(field, e.getMessage())));
        }
        return form.get();
    }

    static String newKey() {
        return "portal-" + UUID.randomUUID();
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static LocalDate date(String text, String field) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field + " must be a date (YYYY-MM-DD)");
        }
    }

    private static Instant instant(String localDateTime, String field) {
        try {
            return LocalDateTime.parse(localDateTime).atZone(ZONE).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field + " must be a date and time");
        }
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
