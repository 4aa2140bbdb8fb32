package eu.ehds.rights.portal.citizen;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.portal.choice.Consents;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.web.FieldError;
import eu.ehds.rights.portal.web.PortalPage;
import eu.ehds.rights.projections.register.ProjectSheet;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import eu.ehds.rights.projections.register.RegisterQuery;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Consents on the citizen's pages: the projects that use only the data of persons who agreed, and the long-term
 * consent to research; giving one after reading its information notice (whose SHA-256 the consent records),
 * withdrawing one, each with its receipt. A representative uses the same pages with {@code for=<mandate>}.
 */
@Controller
@PortalPage
@RequestMapping("/my/consents")
class ConsentPagesController {

    /** A consent project open to consent: its sheet and the notice persons read before they agree. */
    record Offer(ProjectSheet project, String notice, boolean noticeChanged) {
    }

    private final Subjects subjects;
    private final PersonHistory history;
    private final Consents consents;
    private final PublicRegisterProjection register;
    private final ScopeLabels labels;
    private final MessageSource messages;
    private final Clock clock;

    ConsentPagesController(Subjects subjects, PersonHistory history, Consents consents,
                           PublicRegisterProjection register, ScopeLabels labels, MessageSource messages, Clock clock) {
        this.subjects = subjects;
        this.history = history;
        this.consents = consents;
        this.register = register;
        this.labels = labels;
        this.messages = messages;
        this.clock = clock;
    }

    @GetMapping
    String consents(@AuthenticationPrincipal CitizenPrincipal citizen,
                    @RequestParam(name = "for", required = false) String forMandate, Model model, Locale locale) {
        Subject subject = subjects.resolve(citizen, forMandate);
        CitizenController.common(subjects, model, subject, citizen);
        PersonHistory.Choices choices = history.of(subject.pseudonym());
        Instant now = clock.instant();
        // a consent to a project whose notice changed since no longer counts: it is not shown as in force
        List<PersonHistory.GivenConsent> counting = choices.consents().stream().filter(c -> c.countsAt(now, register))
                .toList();
        model.addAttribute("given", counting.stream()
                .map(c -> new CitizenController.OptOutView(new PersonHistory.ActiveOptOut(c.scope(), c.since(),
                        c.leafIndex()), labels.label(c.scope(), locale))).toList());
        model.addAttribute("until", counting.stream()
                .collect(java.util.stream.Collectors.toMap(c -> c.scope().toString(),
                        c -> Optional.ofNullable(c.until()))));
        // offered unless consented to its current notice; "changed" when a consent to an earlier notice is in force
        model.addAttribute("offers", register.search(RegisterQuery.all()).stream()
                .filter(p -> p.closedAt() == null)
                .flatMap(p -> register.consentBasis(p.projectId()).stream().flatMap(b -> {
                    Optional<PersonHistory.GivenConsent> given = choices.consent(OptOutScope.project(p.projectId()));
                    return given.filter(c -> c.countsAt(now, register)).isPresent() ? Stream.<Offer>empty()
                            : Stream.of(new Offer(p, b.consentNotice(), given.filter(c -> c.inForceAt(now))
                            .isPresent()));
                }))
                .toList());
        // the long-term consent to research is a consent to the research purpose, until withdrawn or a chosen date
        model.addAttribute("researchGiven", choices.consent(OptOutScope.purpose(PurposeCategory.SCIENTIFIC_RESEARCH))
                .filter(c -> c.inForceAt(now)).isPresent());
        return "citizen/consents";
    }

    @GetMapping("/review")
    String review(@AuthenticationPrincipal CitizenPrincipal citizen,
                  @RequestParam(name = "for", required = false) String forMandate, @RequestParam String scopeType,
                  @RequestParam(required = false) String scopeValue, @RequestParam(required = false) String validUntil,
                  Model model, Locale locale, RedirectAttributes redirect) {
        Subject subject = subjects.resolve(citizen, forMandate);
        CitizenController.common(subjects, model, subject, citizen);
        OptOutScope scope = CitizenController.scope(scopeType, scopeValue);
        if (history.of(subject.pseudonym()).consent(scope).filter(c -> c.countsAt(clock.instant(), register))
                .isPresent()) {
            return consentsOf(subject, redirect); // already given: Back after confirming lands here
        }
        String notice = consents.notice(scope, locale);
        LocalDate until = null;
        if (validUntil != null && !validUntil.isBlank()) {
            try {
                until = LocalDate.parse(validUntil);
            } catch (DateTimeParseException e) {
                model.addAttribute("errors", List.of(new FieldError("validUntil",
                        messages.getMessage("consent.error.date", null, locale))));
            }
            if (until != null && until.isBefore(LocalDate.now(clock.withZone(Consents.ZONE)))) {
                model.addAttribute("errors", List.of(new FieldError("validUntil",
                        messages.getMessage("consent.error.past", null, locale))));
                until = null;
            }
        }
        model.addAttribute("kind", "CONSENT");
        model.addAttribute("scope", scope);
        model.addAttribute("scopeLabel", labels.label(scope, locale));
        model.addAttribute("notice", notice);
        model.addAttribute("noticeSha256", Sha256.hex(notice));
        model.addAttribute("validUntil", until);
        model.addAttribute("idempotencyKey", "portal-" + UUID.randomUUID());
        return "citizen/consent-review";
    }

    @PostMapping
    String give(@AuthenticationPrincipal CitizenPrincipal citizen,
                @RequestParam(name = "for", required = false) String forMandate, @RequestParam String scopeType,
                @RequestParam(required = false) String scopeValue, @RequestParam(required = false) String validUntil,
                @RequestParam String noticeSha256, @RequestParam String idempotencyKey, Locale locale,
                RedirectAttributes redirect) {
        Subject subject = subjects.resolve(citizen, forMandate);
        OptOutScope scope = CitizenController.scope(scopeType, scopeValue);
        if (!Sha256.hex(consents.notice(scope, locale)).equals(noticeSha256)) {
            // the notice changed since it was shown: the consent must be to the text the person read
            throw new InvalidRequestException("consent.notice-changed",
                    "the information notice changed since it was shown; read it again before consenting");
        }
        LocalDate until;
        try {
            until = validUntil == null || validUntil.isBlank() ? null : LocalDate.parse(validUntil);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("validUntil must be a date (YYYY-MM-DD)");
        }
        CommandReceipt receipt = consents.give(subject.pseudonym(), scope, subject.channel(), subject.recordedBy(),
                until, noticeSha256, idempotencyKey);
        return CitizenController.recorded(receipt, subject, redirect);
    }

    @GetMapping("/withdrawal/review")
    String reviewWithdrawal(@AuthenticationPrincipal CitizenPrincipal citizen,
                            @RequestParam(name = "for", required = false) String forMandate,
                            @RequestParam String scopeType, @RequestParam(required = false) String scopeValue,
                            Model model, Locale locale, RedirectAttributes redirect) {
        Subject subject = subjects.resolve(citizen, forMandate);
        CitizenController.common(subjects, model, subject, citizen);
        OptOutScope scope = CitizenController.scope(scopeType, scopeValue);
        PersonHistory.Choices choices = history.of(subject.pseudonym());
        Instant now = clock.instant();
        if (choices.consent(scope).filter(c -> c.inForceAt(now)).isEmpty()) {
            return consentsOf(subject, redirect); // none to withdraw (or already withdrawn)
        }
        // a broader consent in force still covers what this one covered: say so, by name
        model.addAttribute("broaderKept", choices.consents().stream()
                .filter(c -> c.inForceAt(now) && c.scope().type().ordinal() < scope.type().ordinal()
                        && covers(c.scope(), scope))
                .map(c -> labels.label(c.scope(), locale)).toList());
        model.addAttribute("kind", "CONSENT_WITHDRAWAL");
        model.addAttribute("scope", scope);
        model.addAttribute("scopeLabel", labels.label(scope, locale));
        model.addAttribute("idempotencyKey", "portal-" + UUID.randomUUID());
        return "citizen/consent-review";
    }

    @PostMapping("/withdrawal")
    String withdraw(@AuthenticationPrincipal CitizenPrincipal citizen,
                    @RequestParam(name = "for", required = false) String forMandate, @RequestParam String scopeType,
                    @RequestParam(required = false) String scopeValue, @RequestParam String idempotencyKey,
                    RedirectAttributes redirect) {
        Subject subject = subjects.resolve(citizen, forMandate);
        OptOutScope scope = CitizenController.scope(scopeType, scopeValue);
        CommandReceipt receipt = consents.withdraw(subject.pseudonym(), scope, subject.channel(), subject.recordedBy(),
                idempotencyKey);
        return CitizenController.recorded(receipt, subject, redirect);
    }

    /** Whether a broader consent's scope takes in the narrower one (every reuse; or the purpose of the project). */
    private boolean covers(OptOutScope broader, OptOutScope narrower) {
        if (broader.type() == OptOutScope.Type.GLOBAL) {
            return true;
        }
        return narrower.type() == OptOutScope.Type.PROJECT && register.sheet(narrower.value())
                .map(p -> p.purpose().name().equals(broader.value())).orElse(false);
    }

    private static String consentsOf(Subject subject, RedirectAttributes redirect) {
        if (!subject.self()) {
            redirect.addAttribute("for", subject.forParameter());
        }
        return "redirect:/my/consents";
    }
}
