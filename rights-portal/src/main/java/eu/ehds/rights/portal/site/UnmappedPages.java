package eu.ehds.rights.portal.site;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Addresses no page answers: they are let through so that the person gets "page not found" (404), not "you may not
 * see this page" (403) or a sign-in form. Every address a controller does answer still needs its own rule, so a page
 * added without one stays refused.
 */
final class UnmappedPages implements RequestMatcher {

    private final ObjectProvider<RequestMappingHandlerMapping> mappings;

    UnmappedPages(ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this.mappings = mappings;
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        RequestMappingHandlerMapping mapping = mappings.getIfAvailable();
        if (mapping == null) {
            return false;
        }
        try {
            return mapping.getHandler(request) == null;
        } catch (Exception e) { // a mapped address asked with another method, or a malformed request: not ours
            return false;
        }
    }
}
