package eu.ehds.rights.portal.site;

import eu.ehds.rights.portal.web.PortalPage;
import eu.ehds.rights.portal.web.Refusals;
import eu.ehds.rights.portal.web.Formats;
import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.portal.ledger.StorageOutage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentConversionNotSupportedException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
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

    @ExceptionHandler(InvalidRequestException.class)
    String invalid(InvalidRequestException e, HttpServletResponse response, Model model, java.util.Locale locale) {
        return page(response, model, 400, refusals.text(e, locale));
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class,
            MethodArgumentConversionNotSupportedException.class, RequestRejectedException.class})
    String badParameter(Exception e, HttpServletResponse response, Model model) {
        return page(response, model, 400, null);
    }

    @ExceptionHandler(NotFoundException.class)
    String notFound(NotFoundException e, HttpServletResponse response, Model model) {
        return page(response, model, 404, null);
    }

    @ExceptionHandler(ConflictException.class)
    String conflict(ConflictException e, HttpServletResponse response, Model model) {
        return page(response, model, 409, e.getMessage());
    }

    @ExceptionHandler(AccessDeniedException.class)
    String denied(AccessDeniedException e, HttpServletResponse response, Model model) {
        return page(response, model, 403, null);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    String tooLarge(MaxUploadSizeExceededException e, HttpServletResponse response, Model model) {
        return page(response, model, 413, null);
    }

    /**
     * A form or multipart body the container cannot parse: a broken %-escape, a file name with a control character,
     * a broken boundary.
     */
    @ExceptionHandler({MultipartException.class, InvalidParameterException.class})
    String unreadableForm(Exception e, HttpServletResponse response, Model model) {
        LOG.info("form refused, its body cannot be parsed: {}", e.getClass().getSimpleName());
        return page(response, model, 400, null);
    }

    @ExceptionHandler(Exception.class)
    String unexpected(Exception e, HttpServletResponse response, Model model) {
        if (StorageOutage.causedBy(e)) {
            LOG.warn("page not served, the database cannot be reached: {}", StorageOutage.reason(e));
            response.setHeader("Retry-After", Integer.toString(StorageOutage.RETRY_AFTER_SECONDS));
            return page(response, model, 503, null);
        }
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("unexpected error on a page (reference {})", reference, e);
        model.addAttribute("reference", reference);
        return page(response, model, 500, null);
    }

    private String page(HttpServletResponse response, Model model, int status, String detail) {
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("detail", detail);
        model.addAttribute("viewer", viewer());
        return "error";
    }
}
