package eu.ehds.rights.portal.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Staff HTTP Basic on the API under {@link FailedSignIns}: a request whose address or user name has too many recent
 * failures is answered 429 before its password is checked; a request that Basic refused (401) counts as a failure.
 */
final class SignInAttempts extends OncePerRequestFilter {

    private final FailedSignIns failures;

    SignInAttempts(FailedSignIns failures) {
        this.failures = failures;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String username = basicUser(request.getHeader("Authorization"));
        if (username == null) {
            chain.doFilter(request, response);
            return;
        }
        long wait = failures.blockedFor(request.getRemoteAddr(), username);
        if (wait > 0) {
            response.setHeader("Retry-After", Long.toString(wait));
            ApiProblems.write(response, 429, "Too Many Requests", "too many failed sign-ins from this address or "
                    + "for this user name; try again in " + wait + " seconds");
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
            failures.failed(request.getRemoteAddr(), username);
        }
    }

    /** The user name of a Basic header, or null when there is none (or it cannot be read). */
    static String basicUser(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
