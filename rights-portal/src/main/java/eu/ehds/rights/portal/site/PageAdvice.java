package eu.ehds.rights.portal.site;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.portal.error.ErrorStatuses;
import eu.ehds.rights.portal.ledger.StorageOutage;
import eu.ehds.rights.portal.web.Formats;
import eu.ehds.rights.portal.web.PortalPage;
import eu.ehds.rights.portal.web.Refusals;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.multipart.MultipartException;

/**
 * What every page knows (who is looking, the current address for the language links) and how pages fail: a page
 * in the person's language with what they can do about it, the details only in the server's log (which never
 * holds a NIR: messages of the domain name none).
 */
@ControllerAdvice(annotations = PortalPage.class)
class PageAdvice {

    private static final Logger LOG = LoggerFactory.getLogger(PageAdvice.class);

    private final CitizenSignIn citizenSignIn;
    private final Refusals refusals;

    PageAdvice(CitizenSignIn citizenSignIn, Refusals refusals) {
        this.citizenSignIn = citizenSignIn;
        this.refusals = refusals;
    }

    @ModelAttribute("viewer")
    Viewer viewer() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return Viewer.of(authentication);
    }

    /** Every page says so while the demonstration identity provider runs. */
    @ModelAttribute("demoIdentityProvider")
    boolean demoIdentityProvider() {
        return citizenSignIn.local();
    }

    @ModelAttribute("fmt")
    Formats formats(java.util.Locale locale) {
        return new Formats(locale, Formats.PARIS);
    }

    /** The page's path, for the menu to mark where the person is. */
    @ModelAttribute("currentPath")
    String currentPath(HttpServletRequest request) {
        return request.getRequestURI();
    }

    /** Where the language links lead: this page again for a GET (without its {@code lang}), else home. */
    @ModelAttribute("languageBase")
    String languageBase(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod())) {
            return "/";
        }
        String query = request.getQueryString() == null ? "" : java.util.Arrays.stream(request.getQueryString().split("&"))
                .filter(p -> !p.startsWith("lang=")).collect(java.util.stream.Collectors.joining("&"));
        return request.getRequestURI() + (query.isEmpty() ? "" : "?" + query);
    }

    /**
     * Every refusal and failure on a page: the status from {@link ErrorStatuses}, the one table the API uses too; the
     * words for a refusal the person can act on (a field that is wrong, a conflict); a reference for an unexpected
     * error, whose details go to the log only.
     */
    @ExceptionHandler(Exception.class)
    String refused(Exception e, HttpServletResponse response, Model model, java.util.Locale locale) {
        HttpStatus status = ErrorStatuses.of(e);
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            LOG.warn("page not served, the database is busy or cannot be reached: {}", StorageOutage.reason(e));
            response.setHeader("Retry-After", Integer.toString(StorageOutage.RETRY_AFTER_SECONDS));
        } else if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("unexpected error on a page (reference {})", reference, e);
            model.addAttribute("reference", reference);
        } else if (e instanceof MultipartException || e instanceof InvalidParameterException) {
            // a broken %-escape, a file name with a control character, a broken boundary
            LOG.info("form refused, its body cannot be parsed: {}", e.getClass().getSimpleName());
        }
        String detail = e instanceof InvalidRequestException invalid ? refusals.text(invalid, locale)
                : e instanceof ConflictException ? e.getMessage() : null;
        return page(response, model, status.value(), detail);
    }

    private String page(HttpServletResponse response, Model model, int status, String detail) {
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("detail", detail);
        model.addAttribute("viewer", viewer());
        return "error";
    }
}
