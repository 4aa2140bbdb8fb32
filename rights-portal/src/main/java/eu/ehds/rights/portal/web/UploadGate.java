package eu.ehds.rights.portal.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Decides about a file upload before a byte of its body is read. The container parses a multipart body as soon as
 * anything asks for a parameter (the CSRF check does, before authorisation), spooling it to disk: left alone, any
 * anonymous POST could make the server read and store gigabytes. So, in front of everything:
 * <ul>
 *   <li>{@code /verify} takes a receipt of at most {@code portal.verify-max-upload} (1 MB), with its length declared,
 *       and at most {@value #VERIFY_CONCURRENCY} at a time;</li>
 *   <li>{@code /holder/extracts} takes the large limit only from a signed-in data holder, at most
 *       {@code portal.concurrent-uploads} at a time per holder (and the hourly limit of {@link RateLimiter});</li>
 *   <li>no other address takes a multipart body at all (415).</li>
 * </ul>
 */
@Component
@Order(SessionRepositoryFilter.DEFAULT_ORDER + 1) // sessions are in the database: read after they are loaded
class UploadGate extends OncePerRequestFilter {

    static final int VERIFY_CONCURRENCY = 16;
    private static final Logger LOG = LoggerFactory.getLogger(UploadGate.class);

    private final PortalProperties properties;
    private final Semaphore verifying = new Semaphore(VERIFY_CONCURRENCY);
    private final Map<String, Semaphore> uploading = new ConcurrentHashMap<>();

    UploadGate(PortalProperties properties) {
        this.properties = properties;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String type = request.getContentType();
        return type == null || !type.regionMatches(true, 0, "multipart/", 0, 10);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getServletPath();
        if (path.equals("/verify") && request.getMethod().equals("POST")) {
            verify(request, response, chain);
        } else if (path.equals("/holder/extracts") && request.getMethod().equals("POST")) {
            extract(request, response, chain);
        } else {
            refuse(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "this address takes no file upload");
        }
    }

    private void verify(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length < 0) {
            refuse(response, HttpServletResponse.SC_LENGTH_REQUIRED, "send the receipt with its Content-Length");
            return;
        }
        if (length > properties.verifyMaxUpload().toBytes()) {
            refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "a receipt is at most "
                    + properties.verifyMaxUpload().toKilobytes() + " kB");
            return;
        }
        if (!verifying.tryAcquire()) {
            busy(response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            verifying.release();
        }
    }

    private void extract(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String holder = signedInHolder(request);
        if (holder == null) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "sign in as a data holder before uploading an extract");
            return;
        }
        Semaphore slots = uploading.computeIfAbsent(holder, h -> new Semaphore(properties.concurrentUploads()));
        if (!slots.tryAcquire()) {
            LOG.warn("data holder account {} started more than {} uploads at once: refused", holder,
                    properties.concurrentUploads());
            busy(response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            slots.release();
        }
    }

    /** The data holder's account name of this request's session, or null if it has none. */
    private static String signedInHolder(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object context = session == null ? null
                : session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
        Authentication user = context instanceof SecurityContext c ? c.getAuthentication() : null;
        if (user == null || !user.isAuthenticated()
                || user.getAuthorities().stream().noneMatch(a -> a.getAuthority().equals("ROLE_DATA_HOLDER"))) {
            return null;
        }
        return user.getName();
    }

    private static void busy(HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", "10");
        refuse(response, 429, "too many uploads at once; try again in a moment");
    }

    /** Answers without reading the body, and closes the connection rather than read the rest of it. */
    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setHeader("Connection", "close");
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(message + "\n");
    }
}
