package eu.ehds.rights.portal.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates by the {@code X-Api-Key} header: a data holder's key ({@code rlk_…}) gives the holder's name as principal
 * with role {@code DATA_HOLDER}; a project's data user key ({@code rpk_…}) gives the project id with role
 * {@code DATA_USER}. A wrong or revoked key is a 401, never a fallback to another scheme.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Api-Key";

    private final ApiKeys keys;

    ApiKeyAuthenticationFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String apiKey = request.getHeader(HEADER);
        if (apiKey != null) {
            String key = apiKey.strip();
            boolean project = key.startsWith("rpk_");
            var holder = project ? keys.projectOf(key) : keys.dataHolderOf(key);
            if (holder.isEmpty()) {
                ApiProblems.write(request, response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized",
                        "the API key is unknown or revoked");
                return;
            }
            SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                    holder.get(), null, List.of(new SimpleGrantedAuthority(project ? "ROLE_DATA_USER"
                            : "ROLE_DATA_HOLDER"))));
        }
        chain.doFilter(request, response);
    }
}
