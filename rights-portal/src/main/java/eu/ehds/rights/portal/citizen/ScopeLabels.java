package eu.ehds.rights.portal.citizen;

import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.projections.register.ProjectSheet;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/** An opt-out's scope in words: "every reuse", a purpose's name, or a project's title. */
@Component
class ScopeLabels {

    private final MessageSource messages;
    private final PublicRegisterProjection register;

    ScopeLabels(MessageSource messages, PublicRegisterProjection register) {
        this.messages = messages;
        this.register = register;
    }

    String label(OptOutScope scope, Locale locale) {
        if (scope == null) {
            return "";
        }
        return switch (scope.type()) {
            case GLOBAL -> messages.getMessage("scope.GLOBAL", null, locale);
            case PURPOSE -> messages.getMessage("scope.PURPOSE", new Object[] {
                    messages.getMessage("purpose." + scope.value(), null, locale)}, locale);
            case PROJECT -> messages.getMessage("scope.PROJECT", new Object[] {
                    register.sheet(scope.value()).map(ProjectSheet::title).orElse(scope.value())}, locale);
        };
    }
}
