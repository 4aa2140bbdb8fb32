package eu.ehds.rights.portal.citizen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.portal.choice.NotificationObjections;
import eu.ehds.rights.portal.choice.OptOuts;
import eu.ehds.rights.portal.fhir.ChoicesExport;
import eu.ehds.rights.portal.holder.DecisionProperties;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.receipt.Receipts;
import eu.ehds.rights.portal.transparency.PersonUsages;
import eu.ehds.rights.portal.web.FieldError;
import eu.ehds.rights.portal.web.PortalPage;
import eu.ehds.rights.projections.decision.DecisionProjection;
import eu.ehds.rights.projections.decision.OptOutPeriod;
import eu.ehds.rights.projections.decision.Reason;
import eu.ehds.rights.projections.decision.RuleMode;
import eu.ehds.rights.projections.mandate.MandateView;
import eu.ehds.rights.projections.register.ProjectSheet;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import eu.ehds.rights.projections.register.RegisterQuery;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The citizen's pages: their choices and history, opting out (globally, for a purpose or for a project) with the
 * consequences explained before confirming, withdrawing, objecting to being informed of significant findings,
 * receipts of every change, and who used their data. A representative uses the same pages with {@code for=<mandate>}
 * and sees and changes only the person that mandate covers, while it is in force.
 */
@Controller
@PortalPage
@RequestMapping("/my")
class CitizenController {

    private final Subjects subjects;
    private final PersonHistory history;
    private final OptOuts optOuts;
    private final NotificationObjections objections;
    private final Receipts receipts;
    private final PersonUsages usages;
    private final PublicRegisterProjection register;
    private final ScopeLabels labels;
    private final MessageSource messages;
    private final Clock clock;
    private final RuleMode rule;
    private final DecisionProjection decisionModel;
    private final ChoicesExport choicesExport;
    private final RepresentedLabels representedLabels;

    CitizenController(Subjects subjects, PersonHistory history, OptOuts optOuts, NotificationObjections objections,
                      Receipts receipts,
                      PersonUsages usages, PublicRegisterProjection register, ScopeLabels labels,
                      MessageSource messages, Clock clock, DecisionProperties decisions,
                      DecisionProjection decisionModel, RepresentedLabels representedLabels,
                      ChoicesExport choicesExport) {
        this.choicesExport = choicesExport;
        this.decisionModel = decisionModel;
        this.representedLabels = representedLabels;
        this.subjects = subjects;
        this.history = history;
        this.optOuts = optOuts;
        this.objections = objections;
        this.receipts = receipts;
        this.usages = usages;
        this.register = register;
        this.labels = labels;
        this.messages = messages;
        this.clock = clock;
        this.rule = decisions.rule();
    }

    /** A change shown with its scope in words. */
    record ChangeView(PersonHistory.Change change, String scopeLabel, String actor) {
    }

    record OptOutView(PersonHistory.ActiveOptOut optOut, String scopeLabel) {
    }

    @GetMapping
    String choices(@AuthenticationPrincipal CitizenPrincipal citizen, @RequestParam(name = "for", required = false) String forMandate,
                   Model model, Locale locale) {
        Subject subject = subjects.resolve(citizen, forMandate);
        PersonHistory.Choices choices = history.of(subject.pseudonym());
        common(model, subject, citizen);
        model.addAttribute("choices", choices);
        // as the consents page counts them: in force, and for a project given to its current notice
        model.addAttribute("consentsInForce", choices.consents().stream()
                .filter(c -> c.countsAt(clock.instant(), register)).count());
        model.addAttribute("optOuts", choices.optOuts().stream()
                .map(o -> new OptOutView(o, labels.label(o.scope(), locale))).toList());
        model.addAttribute("changes", choices.changes().stream()
                .map(c -> new ChangeView(c, labels.label(c.scope(), locale),
                        c.actorAs(citizen.pseudonym(), !subject.self()))).toList());
        return "citizen/choices";
    }

    @GetMapping("/opt-outs/new")
    String newOptOut(@AuthenticationPrincipal CitizenPrincipal citizen,
                     @RequestParam(name = "for", required = false) String forMandate,
                     @RequestParam(required = false) String projectId, Model model) {
        Subject subject = subjects.resolve(citizen, forMandate);
        common(model, subject, citizen);
        // "object to this use" on a project's sheet leads here with the project chosen (also after signing in)
        boolean known = projectId != null && register.sheet(projectId).isPresent();
        optOutForm(model, known ? "PROJECT" : null, null, known ? projectId : null, List.of());
        return "citizen/opt-out";
    }

    // reviews are read-only pages reached by GET, so that Back after confirming never asks to resend a form
    @RequestMapping(path = "/opt-outs/review", method = {RequestMethod.GET, RequestMethod.POST})
    String reviewOptOut(@AuthenticationPrincipal CitizenPrincipal citizen,
                        @RequestParam(name = "for", required = false) String forMandate,
                        @RequestParam(required = false) String scopeType, @RequestParam(required = false) String purpose,
                        @RequestParam(required = false) String projectId, Model model, Locale locale) {
        Subject subject = subjects.resolve(citizen, forMandate);
        common(model, subject, citizen);
        List<FieldError> errors = new ArrayList<>();
        OptOutScope scope = null;
        if ("GLOBAL".equals(scopeType)) {
            scope = OptOutScope.global();
        } else if ("PURPOSE".equals(scopeType)) {
            PurposeCategory category = java.util.Arrays.stream(PurposeCategory.values())
                    .filter(p -> p.name().equals(purpose)).findFirst().orElse(null);
            if (category == null) {
                errors.add(error("purpose", "optout.error.purpose", locale));
            } else {
                scope = OptOutScope.purpose(category);
            }
        } else if ("PROJECT".equals(scopeType)) {
            if (register.sheet(projectId).isEmpty()) {
                errors.add(error("project", "optout.error.project", locale));
            } else {
                scope = OptOutScope.project(projectId);
            }
        } else {
            errors.add(error("scope-GLOBAL", "optout.error.scope", locale));
        }
        if (scope != null && history.of(subject.pseudonym()).active(scope)) {
            errors.add(error("scope-" + scope.type(), "optout.error.already", locale));
        }
        if (!errors.isEmpty()) {
            optOutForm(model, scopeType, purpose, projectId, errors);
            return "citizen/opt-out";
        }
        review(model, "OPT_OUT", scope, locale);
        stillReceiving(model, subject.pseudonym(), scope);
        // a narrower consent in force still wins over this opt-out for the projects it covers: say so, by name
        OptOutScope optOut = scope;
        model.addAttribute("consentsKept", history.of(subject.pseudonym()).consents().stream()
                .filter(c -> c.inForceAt(clock.instant()) && c.scope().type().ordinal() > optOut.type().ordinal())
                .map(c -> labels.label(c.scope(), locale)).toList());
        return "citizen/review";
    }

    @PostMapping("/opt-outs")
    String optOut(@AuthenticationPrincipal CitizenPrincipal citizen,
                  @RequestParam(name = "for", required = false) String forMandate,
                  @RequestParam String scopeType, @RequestParam(required = false) String scopeValue,
                  @RequestParam String idempotencyKey, RedirectAttributes redirect) {
        return changeOptOut(true, citizen, forMandate, scopeType, scopeValue, idempotencyKey, redirect);
    }

    @RequestMapping(path = "/opt-outs/withdrawal/review", method = {RequestMethod.GET, RequestMethod.POST})
    String reviewWithdrawal(@AuthenticationPrincipal CitizenPrincipal citizen,
                            @RequestParam(name = "for", required = false) String forMandate,
                            @RequestParam String scopeType, @RequestParam(required = false) String scopeValue,
                            Model model, Locale locale, RedirectAttributes redirect) {
        Subject subject = subjects.resolve(citizen, forMandate);
        common(model, subject, citizen);
        OptOutScope scope = scope(scopeType, scopeValue);
        if (!history.of(subject.pseudonym()).active(scope)) {
            return choicesOf(subject, redirect); // already withdrawn: Back after confirming lands here
        }
        review(model, "WITHDRAWAL", scope, locale);
        return "citizen/review";
    }

    @PostMapping("/opt-outs/withdrawal")
    String withdraw(@AuthenticationPrincipal CitizenPrincipal citizen,
                    @RequestParam(name = "for", required = false) String forMandate,
                    @RequestParam String scopeType, @RequestParam(required = false) String scopeValue,
                    @RequestParam String idempotencyKey, RedirectAttributes redirect) {
        return changeOptOut(false, citizen, forMandate, scopeType, scopeValue, idempotencyKey, redirect);
    }

    /** Registers or withdraws an opt-out for the subject, then shows what was recorded. */
    private String changeOptOut(boolean register, CitizenPrincipal citizen, String forMandate, String scopeType,
                                String scopeValue, String idempotencyKey, RedirectAttributes redirect) {
        Subject subject = subjects.resolve(citizen, forMandate);
        OptOutScope scope = scope(scopeType, scopeValue);
        CommandReceipt receipt = register
                ? optOuts.register(subject.pseudonym(), scope, subject.channel(), subject.recordedBy(), idempotencyKey)
                : optOuts.withdraw(subject.pseudonym(), scope, subject.channel(), subject.recordedBy(), idempotencyKey);
        return recorded(receipt, subject, redirect);
    }

    @RequestMapping(path = "/objection/review", method = {RequestMethod.GET, RequestMethod.POST})
    String reviewObjection(@AuthenticationPrincipal CitizenPrincipal citizen,
                           @RequestParam(name = "for", required = false) String forMandate,
                           @RequestParam String choice, Model model, Locale locale, RedirectAttributes redirect) {
        Subject subject = subjects.resolve(citizen, forMandate);
        common(model, subject, citizen);
        boolean objects = history.of(subject.pseudonym()).objectsToNotifications();
        if (!List.of("OBJECT", "ACCEPT").contains(choice)) {
            throw new NotFoundException("nothing to change");
        }
        if (objects == choice.equals("OBJECT")) {
            return choicesOf(subject, redirect); // already so: Back after confirming lands here
        }
        review(model, choice.equals("OBJECT") ? "OBJECTION" : "OBJECTION_WITHDRAWAL", null, locale);
        return "citizen/review";
    }

    @PostMapping("/objection")
    String objection(@AuthenticationPrincipal CitizenPrincipal citizen,
                     @RequestParam(name = "for", required = false) String forMandate,
                     @RequestParam String choice, @RequestParam String idempotencyKey, RedirectAttributes redirect) {
        Subject subject = subjects.resolve(citizen, forMandate);
        boolean object = choice.equals("OBJECT");
        CommandReceipt receipt = object
                ? objections.object(subject.pseudonym(), subject.channel(), subject.recordedBy(), idempotencyKey)
                : objections.withdraw(subject.pseudonym(), subject.channel(), subject.recordedBy(), idempotencyKey);
        return recorded(receipt, subject, redirect);
    }

    @GetMapping("/recorded")
    String recordedPage(@AuthenticationPrincipal CitizenPrincipal citizen,
                        @RequestParam(name = "for", required = false) String forMandate, @RequestParam long leaf,
                        Model model, Locale locale) {
        Subject subject = subjects.resolve(citizen, forMandate);
        common(model, subject, citizen);
        PersonHistory.Change change = ownChange(subject, leaf);
        model.addAttribute("change", new ChangeView(change, labels.label(change.scope(), locale),
                change.actorAs(citizen.pseudonym(), !subject.self())));
        return "citizen/recorded";
    }

    @GetMapping("/receipts/{leaf}")
    String receipt(@AuthenticationPrincipal CitizenPrincipal citizen,
                   @RequestParam(name = "for", required = false) String forMandate, @PathVariable long leaf,
                   Model model, Locale locale) {
        Subject subject = subjects.resolve(citizen, forMandate);
        common(model, subject, citizen);
        PersonHistory.Change change = ownChange(subject, leaf);
        ObjectNode receipt = receipts.issue(leaf);
        model.addAttribute("change", new ChangeView(change, labels.label(change.scope(), locale),
                change.actorAs(citizen.pseudonym(), !subject.self())));
        model.addAttribute("receipt", receipt);
        model.addAttribute("receiptJson", receipts.toJson(receipt));
        return "citizen/receipt";
    }

    @GetMapping(path = "/receipts/{leaf}.json")
    ResponseEntity<String> receiptJson(@AuthenticationPrincipal CitizenPrincipal citizen,
                                       @RequestParam(name = "for", required = false) String forMandate,
                                       @PathVariable long leaf) {
        Subject subject = subjects.resolve(citizen, forMandate);
        ownChange(subject, leaf);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("receipt-" + leaf + ".json", StandardCharsets.UTF_8).build().toString())
                .body(receipts.toJson(receipts.issue(leaf)));
    }

    /** Every choice of the person, as HL7 FHIR Consents in one Bundle, to take elsewhere (GDPR Art. 20). */
    @GetMapping(path = "/choices.fhir.json")
    ResponseEntity<String> choicesAsFhir(@AuthenticationPrincipal CitizenPrincipal citizen,
                                         @RequestParam(name = "for", required = false) String forMandate) {
        Subject subject = subjects.resolve(citizen, forMandate);
        String site = org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromCurrentContextPath()
                .toUriString();
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/fhir+json"))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("my-choices.fhir.json", StandardCharsets.UTF_8).build().toString())
                .body(choicesExport.bundle(subject.pseudonym(), site));
    }

    @GetMapping("/usages")
    String usagesPage(@AuthenticationPrincipal CitizenPrincipal citizen,
                      @RequestParam(name = "for", required = false) String forMandate, Model model, Locale locale) {
        Subject subject = subjects.resolve(citizen, forMandate);
        common(model, subject, citizen);
        var answer = usages.of(subject.pseudonym());
        model.addAttribute("answer", answer);
        // each project named in the page's language, as its sheet has it now
        java.util.Map<String, String> titles = new java.util.HashMap<>();
        java.util.stream.Stream.concat(answer.received().stream().map(r -> r.usage().projectId()),
                        answer.excludedByOptOut().stream().map(x -> x.usage().projectId()))
                .distinct().forEach(id -> register.sheet(id).ifPresent(s -> titles.put(id, s.titleIn(locale.getLanguage()))));
        model.addAttribute("titles", titles);
        return "citizen/usages";
    }

    /** A change of this person's own stream; anyone else's leaf is "not found", never shown. */
    private PersonHistory.Change ownChange(Subject subject, long leaf) {
        return history.of(subject.pseudonym()).changes().stream().filter(c -> c.leafIndex() == leaf).findFirst()
                .orElseThrow(() -> new NotFoundException("no such change"));
    }

    static String recorded(CommandReceipt receipt, Subject subject, RedirectAttributes redirect) {
        redirect.addAttribute("leaf", receipt.leafIndex());
        if (!subject.self()) {
            redirect.addAttribute("for", subject.forParameter());
        }
        return "redirect:/my/recorded";
    }

    private void common(Model model, Subject subject, CitizenPrincipal citizen) {
        common(subjects, model, subject, citizen);
    }

    /** What every citizen page shows: whose choices these are, and the mandates the signed-in person holds. */
    static void common(Subjects subjects, Model model, Subject subject, CitizenPrincipal citizen) {
        model.addAttribute("subject", subject);
        model.addAttribute("forMandate", subject.forParameter());
        List<MandateView> held = subjects.heldNow(citizen);
        model.addAttribute("mandates", held);
        model.addAttribute("representedLabels", subjects.labelsOf(held));
    }

    /** The representative names the person they represent; the name stays in the vault, never in the log. */
    @PostMapping("/mandates/{mandateId}/label")
    String nameRepresented(@AuthenticationPrincipal CitizenPrincipal citizen, @PathVariable String mandateId,
                           @RequestParam(required = false) String label, RedirectAttributes redirect) {
        Subject subject = subjects.resolve(citizen, mandateId); // held by this citizen and in force, or 403
        representedLabels.name(subject.mandate().mandateId(), label);
        redirect.addAttribute("for", mandateId);
        return "redirect:/my";
    }

    private static String choicesOf(Subject subject, RedirectAttributes redirect) {
        if (!subject.self()) {
            redirect.addAttribute("for", subject.forParameter());
        }
        return "redirect:/my";
    }

    private void optOutForm(Model model, String scopeType, String purpose, String projectId, List<FieldError> errors) {
        model.addAttribute("purposes", PurposeCategory.values());
        model.addAttribute("projects", register.search(RegisterQuery.all()).stream()
                .filter(p -> p.status() != ProjectSheet.Status.CLOSED).toList());
        model.addAttribute("scopeType", scopeType);
        model.addAttribute("purpose", purpose);
        model.addAttribute("projectId", projectId);
        model.addAttribute("errors", errors);
    }

    private void review(Model model, String kind, OptOutScope scope, Locale locale) {
        model.addAttribute("kind", kind);
        model.addAttribute("rule", rule.name());
        // the consequences told before confirming; for an opt-out they depend on the rule this ledger applies
        model.addAttribute("points", switch (kind) {
            // under Art. 71(3) the projects that keep the data are named, one by one (see stillReceiving)
            case "OPT_OUT" -> rule == RuleMode.EHDS_ART_71_3 ? List.of("review.OPT_OUT.1", "review.OPT_OUT.4")
                    : List.of("review.OPT_OUT.1", "review.OPT_OUT.2." + rule.name(), "review.OPT_OUT.4");
            default -> List.of("review." + kind + ".1", "review." + kind + ".2", "review." + kind + ".3");
        });
        model.addAttribute("scope", scope);
        model.addAttribute("scopeLabel", labels.label(scope, locale));
        model.addAttribute("scopeName", labels.name(scope, locale));
        model.addAttribute("stillPermitted", List.of());
        model.addAttribute("derogations", List.of());
        model.addAttribute("consentsKept", List.of());
        model.addAttribute("idempotencyKey", "portal-" + UUID.randomUUID());
    }

    /**
     * The projects, by name, that would still receive the person's data after this opt-out: decided by the rule
     * itself ({@link DecisionProjection#grounds}) with the opt-out added as if confirmed now. Permits granted before
     * it (Art. 71(3)) and public-interest derogations (Art. 71(4)) are told apart.
     */
    private void stillReceiving(Model model, String pseudonym, OptOutScope scope) {
        java.time.Instant now = clock.instant();
        OptOutPeriod confirmedNow = new OptOutPeriod(scope, now, null);
        List<ProjectSheet> permitted = new ArrayList<>();
        List<ProjectSheet> derogation = new ArrayList<>();
        for (ProjectSheet project : register.search(RegisterQuery.all())) {
            if (project.closedAt() != null || !covers(scope, project)) {
                continue;
            }
            if (project.permit() == null) {
                // not permitted yet: a derogation will override the opt-out whenever its permit comes
                if (project.derogation() != null) {
                    derogation.add(project);
                }
                continue;
            }
            decisionModel.grounds(pseudonym, project.projectId(), now, decisionModel.treeSize(), rule, confirmedNow)
                    .map(g -> g.decision().reason()).ifPresent(reason -> {
                        if (reason == Reason.OPT_OUT_AFTER_PERMIT) {
                            permitted.add(project);
                        } else if (reason == Reason.DEROGATION) {
                            derogation.add(project);
                        }
                    });
        }
        model.addAttribute("stillPermitted", permitted);
        model.addAttribute("derogations", derogation);
    }

    /** Whether an opt-out of this scope would cover the project (then a derogation on it is worth telling). */
    private static boolean covers(OptOutScope scope, ProjectSheet project) {
        return switch (scope.type()) {
            case GLOBAL -> true;
            case PURPOSE -> project.purpose().name().equals(scope.value());
            case PROJECT -> project.projectId().equals(scope.value());
        };
    }

    private FieldError error(String field, String key, Locale locale) {
        return new FieldError(field, messages.getMessage(key, null, locale));
    }

    static OptOutScope scope(String type, String value) {
        OptOutScope.Type parsed = java.util.Arrays.stream(OptOutScope.Type.values()).filter(t -> t.name().equals(type))
                .findFirst().orElseThrow(() -> new InvalidRequestException("unknown scope type"));
        return new OptOutScope(parsed, value == null || value.isBlank() ? null : value).validated();
    }
}
