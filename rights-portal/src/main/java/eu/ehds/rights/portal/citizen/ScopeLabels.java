package eu.ehds.rights.portal.citizen;

import eu.ehds.rights.ledger.api.optout.OptOutScope;
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
            case PURPOSE -> messages.getMessage("scope.PURPOSE", new Object[] {name(scope, locale)}, locale);
            case PROJECT -> messages.getMessage("scope.PROJECT", new Object[] {name(scope, locale)}, locale);
        };
    }

    /** What the scope names, without an article (a sentence brings its own: "au projet", "à la réutilisation"). */
    String name(OptOutScope scope, Locale locale) {
        if (scope == null) {
            return "";
        }
        return switch (scope.type()) {
            case GLOBAL -> "";
            case PURPOSE -> messages.getMessage("purpose." + scope.value(), null, locale);
            case PROJECT -> register.sheet(scope.value()).map(s -> s.titleIn(locale.getLanguage())).orElse(scope.value());
        };
    }
}
