package eu.ehds.rights.portal.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.www.BasicAuthenticationConverter;
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
        if (request.getHeader("Authorization") == null) {
            chain.doFilter(request, response);
            return;
        }
        String username = basicUser(request);
        long wait = failures.blockedFor(request.getRemoteAddr(), username);
        if (wait > 0) {
            response.setHeader("Retry-After", Long.toString(wait));
            ApiProblems.write(request, response, 429, "Too Many Requests", "too many failed sign-ins from this address or "
                    + "for this user name; try again in " + wait + " seconds");
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
            failures.failed(request.getRemoteAddr(), username);
        }
    }

    /**
     * The user name exactly as Spring Security's Basic filter will read it (its own converter: any header it
     * accepts is counted), or null when it will read none.
     */
    static String basicUser(HttpServletRequest request) {
        try {
            UsernamePasswordAuthenticationToken token = CONVERTER.convert(request);
            return token == null ? null : token.getName();
        } catch (AuthenticationException e) {
            return null; // malformed: no password is tested, the address still counts the failure
        }
    }

    private static final BasicAuthenticationConverter CONVERTER = new BasicAuthenticationConverter();
}
