package eu.ehds.rights.portal.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The API's 401, 403 and 429 answers as RFC 9457 problem documents, like every other error. A 401 carries the Basic
 * challenge only for clients that are not browsers: a browser that saw it would offer to remember staff credentials,
 * which other sites could then make it send.
 */
final class ApiProblems {

    private ApiProblems() {
    }

    static AuthenticationEntryPoint unauthorized() {
        return (request, response, e) -> {
            if (!fromBrowser(request)) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"rights-ledger\"");
            }
            write(request, response, 401, "Unauthorized", "sign in: HTTP Basic for staff, or X-Api-Key for data "
                    + "holders and data users");
        };
    }

    static AccessDeniedHandler forbidden() {
        return (request, response, e) -> write(request, response, 403, "Forbidden",
                "these credentials do not allow this request");
    }

    /** As {@link #write(HttpServletResponse, int, String, String)}, but an OperationOutcome for the FHIR server. */
    static void write(HttpServletRequest request, HttpServletResponse response, int status, String title,
                      String detail) throws IOException {
        if (!request.getRequestURI().startsWith("/fhir/")) {
            write(response, status, title, detail);
            return;
        }
        org.hl7.fhir.r4.model.OperationOutcome outcome = new org.hl7.fhir.r4.model.OperationOutcome();
        outcome.addIssue().setSeverity(org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.ERROR)
                .setCode(status == 401 ? org.hl7.fhir.r4.model.OperationOutcome.IssueType.LOGIN
                        : status == 403 ? org.hl7.fhir.r4.model.OperationOutcome.IssueType.FORBIDDEN
                        : org.hl7.fhir.r4.model.OperationOutcome.IssueType.THROTTLED)
                .setDiagnostics(title + ": " + detail);
        response.setStatus(status);
        response.setContentType("application/fhir+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser()
                .encodeResourceToString(outcome));
    }

    static void write(HttpServletResponse response, int status, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"status\":" + status + ",\"title\":\"" + title + "\",\"detail\":\""
                + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    /** Browsers say where a request comes from ({@code Sec-Fetch-*}) or ask for pages. */
    static boolean fromBrowser(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return request.getHeader("Sec-Fetch-Mode") != null || request.getHeader("Sec-Fetch-Site") != null
                || request.getHeader("Sec-Fetch-Dest") != null
                || (accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/html"));
    }
}
