package eu.ehds.rights.portal.error;

import eu.ehds.rights.portal.ledger.StorageOutage;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A database outage met before any controller (an API key or a session looked up by a security filter) is answered
 * 503 with {@code Retry-After}, like one met in a controller, instead of the container's 500.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class StorageOutageFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(StorageOutageFilter.class);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | ServletException e) {
            if (!StorageOutage.causedBy(e) || response.isCommitted()) {
                throw e;
            }
            LOG.warn("request not served, the database is busy or cannot be reached: {}", StorageOutage.reason(e));
            response.resetBuffer();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", Integer.toString(StorageOutage.RETRY_AFTER_SECONDS));
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write("{\"status\":503,\"title\":\"Service Unavailable\",\"detail\":\""
                    + StorageOutage.MESSAGE + "\"}");
        }
    }
}
