package eu.ehds.rights.portal.web;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * A refusal in the page's language: the bundles' {@code refusal.<code>} for a refusal that has a code, else the
 * domain's own (English) sentence.
 */
@Component
public class Refusals {

    private final MessageSource messages;

    Refusals(MessageSource messages) {
        this.messages = messages;
    }

    public String text(RuntimeException refusal, Locale locale) {
        if (refusal instanceof InvalidRequestException invalid && invalid.code() != null) {
            return messages.getMessage("refusal." + invalid.code(), invalid.arguments().toArray(), refusal.getMessage(),
                    locale);
        }
        return refusal.getMessage();
    }
}
