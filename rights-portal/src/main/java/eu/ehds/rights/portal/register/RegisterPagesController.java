package eu.ehds.rights.portal.register;

import eu.ehds.rights.ledger.anchoring.AnchoringPort;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.portal.web.PortalPage;
import eu.ehds.rights.portal.web.PortalProperties;
import eu.ehds.rights.projections.register.ProjectSheet;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import eu.ehds.rights.projections.register.RegisterQuery;
import eu.ehds.rights.projections.statistics.OptOutStatisticsProjection;
import java.util.Arrays;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The public register of projects (EHDS Art. 58(1)), searchable by purpose, status, data holder and words, each
 * project's sheet, and the open statistics with the latest signed checkpoint and its anchoring. No sign-in.
 */
@Controller
@PortalPage
class RegisterPagesController {

    private final PublicRegisterProjection register;
    private final OptOutStatisticsProjection statistics;
    private final VerifiableLog log;
    private final AnchoringPort anchoring;
    private final PortalProperties properties;
    private final org.springframework.context.MessageSource messages;

    RegisterPagesController(PublicRegisterProjection register, OptOutStatisticsProjection statistics,
                            VerifiableLog log, AnchoringPort anchoring, PortalProperties properties,
                            org.springframework.context.MessageSource messages) {
        this.messages = messages;
        this.register = register;
        this.statistics = statistics;
        this.log = log;
        this.anchoring = anchoring;
        this.properties = properties;
    }

    @GetMapping("/register")
    String search(@RequestParam(required = false) String q, @RequestParam(required = false) String purpose,
                  @RequestParam(required = false) String status, @RequestParam(required = false) String holder,
                  Model model) {
        PurposeCategory p = Arrays.stream(PurposeCategory.values()).filter(c -> c.name().equals(purpose))
                .findFirst().orElse(null);
        ProjectSheet.Status s = Arrays.stream(ProjectSheet.Status.values()).filter(c -> c.name().equals(status))
                .findFirst().orElse(null);
        String h = holder == null || holder.isBlank() ? null : holder;
        model.addAttribute("projects", register.search(new RegisterQuery(q, p, s, h)));
        model.addAttribute("q", q);
        model.addAttribute("purpose", p);
        model.addAttribute("status", s);
        model.addAttribute("holder", h);
        model.addAttribute("purposes", PurposeCategory.values());
        model.addAttribute("statuses", ProjectSheet.Status.values());
        model.addAttribute("holders", register.dataHolders());
        return "register/list";
    }

    @GetMapping("/register/{projectId}")
    String sheet(@PathVariable String projectId, Model model) {
        model.addAttribute("project", register.sheet(projectId)
                .orElseThrow(() -> new NotFoundException("no project '" + projectId + "' in the register")));
        model.addAttribute("bases", register.legalBasisHistory(projectId));
        model.addAttribute("consent", register.consentBasis(projectId).orElse(null));
        return "register/sheet";
    }

    @GetMapping("/statistics")
    String statistics(Model model, java.util.Locale locale) {
        OptOutStatisticsProjection.Table table = statistics.table(properties.statisticsThreshold());
        model.addAttribute("table", table);
        model.addAttribute("consentTable", statistics.consentTable(properties.statisticsThreshold()));
        java.time.format.DateTimeFormatter month = java.time.format.DateTimeFormatter.ofPattern("MMM yy", locale);
        model.addAttribute("charts", java.util.Map.of(
                "registered", StatisticsChart.svg(table, OptOutStatisticsProjection.Row::registered,
                        r -> r.month().format(month), "chart-registered",
                        messages.getMessage("stats.chart.registered", null, locale)),
                "withdrawn", StatisticsChart.svg(table, OptOutStatisticsProjection.Row::withdrawn,
                        r -> r.month().format(month), "chart-withdrawn",
                        messages.getMessage("stats.chart.withdrawn", null, locale))));
        model.addAttribute("colours", StatisticsChart.COLOURS);
        model.addAttribute("checkpoint", log.checkpoint());
        model.addAttribute("anchored", anchoring.enabled());
        model.addAttribute("anchoring", anchoring.description());
        model.addAttribute("latestAnchor", anchoring.latestAnchor().orElse(null));
        return "register/statistics";
    }
}
