package eu.ehds.rights.portal.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Token buckets per client address, against password guessing on the sign-in forms and floods of uploads, held for the
 * whole service (see {@link Throttles}): several nodes do not multiply a limit. A refused request gets 429 with
 * {@code Retry-After}; nothing is recorded for it.
 */
@Component
@ConditionalOnWebApplication
public class RateLimiter {

    private final PortalProperties properties;
    private final Throttles buckets;

    public RateLimiter(PortalProperties properties, Throttles buckets) {
        this.properties = properties;
        this.buckets = buckets;
    }

    /** Seconds to wait before the next attempt under {@code key}, or 0 if this one may go ahead. */
    long acquire(String key, int capacity, Duration period) {
        double perMilli = capacity / (double) period.toMillis();
        long[] wait = {0};
        buckets.update(key, bucket -> {
            long now = buckets.now();
            // a bucket is full when new, and refills continuously up to its capacity
            double tokens = bucket == null ? capacity
                    : Math.min(capacity, bucket.amount() + Math.max(0, now - bucket.since()) * perMilli);
            if (tokens >= 1) {
                return new Throttles.Count(tokens - 1, now);
            }
            wait[0] = Math.max(1, (long) Math.ceil((1 - tokens) / perMilli / 1000));
            return new Throttles.Count(tokens, now);
        });
        return wait[0];
    }

    /** Limits POSTs to a sign-in form. */
    public OncePerRequestFilter signInFilter(String path) {
        return filter(path, "sign-in", () -> properties.signInsPerMinute(), Duration.ofMinutes(1));
    }

    /** Limits POSTs of extract uploads. */
    public OncePerRequestFilter uploadFilter(String path) {
        return filter(path, "upload", () -> properties.uploadsPerHour(), Duration.ofHours(1));
    }

    private OncePerRequestFilter filter(String path, String kind, java.util.function.IntSupplier capacity,
                                        Duration period) {
        return new OncePerRequestFilter() {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                return !HttpMethod.POST.matches(request.getMethod()) || !path.equals(request.getServletPath());
            }

            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                long wait = acquire(kind + ":" + path + ":" + request.getRemoteAddr(), capacity.getAsInt(), period);
                if (wait > 0) {
                    response.setHeader("Retry-After", Long.toString(wait));
                    response.sendError(429);
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }
}
