package eu.ehds.rights.portal.security;

import eu.ehds.rights.ledger.crypto.Sha256;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a data holder's session at its next request once its account was disabled or its password reset: each
 * request of a holder's session checks the account as stored (one indexed read), so the change takes effect at once
 * on every node, without a list of live sessions to keep.
 */
public final class HolderSessions extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(HolderSessions.class);

    private final HolderAccounts accounts;

    public HolderSessions(HolderAccounts accounts) {
        this.accounts = accounts;
    }

    static String stamp(String passwordHash) {
        return passwordHash == null ? ""
                : HexFormat.of().formatHex(Sha256.of(passwordHash.getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (user != null && user.getPrincipal() instanceof PortalAccounts.HolderUser holder) {
            Optional<HolderAccounts.Stored> stored = accounts.find(holder.getUsername());
            if (stored.isEmpty() || stored.get().disabled() || !stamp(stored.get().passwordHash()).equals(holder.stamp())) {
                LOG.info("data holder account {}: session ended (account disabled or password reset)",
                        holder.getUsername());
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
                SecurityContextHolder.clearContext();
                response.sendRedirect(request.getContextPath() + "/login?ended");
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
