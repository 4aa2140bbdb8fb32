package eu.ehds.rights.portal.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Token buckets per client address, against password guessing on the sign-in forms and floods of uploads. A
 * refused request gets 429 with {@code Retry-After}; nothing is recorded for it.
 */
@Component
public class RateLimiter {

    private static final int MAX_BUCKETS = 100_000;

    private final PortalProperties properties;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @org.springframework.beans.factory.annotation.Autowired
    public RateLimiter(PortalProperties properties) {
        this(properties, System::nanoTime);
    }

    RateLimiter(PortalProperties properties, LongSupplier nanoTime) {
        this.properties = properties;
        this.nanoTime = nanoTime;
    }

    /** A bucket of {@code capacity} tokens refilled over {@code period}. */
    private static final class Bucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long at;

        Bucket(int capacity, Duration period, long now) {
            this.capacity = capacity;
            this.perNano = capacity / (double) period.toNanos();
            this.tokens = capacity;
            this.at = now;
        }

        /** 0 when a token was taken, otherwise the seconds until one is available. */
        synchronized long take(long now) {
            tokens = Math.min(capacity, tokens + (now - at) * perNano);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
        }
    }

    /** Seconds to wait before the next attempt under {@code key}, or 0 if this one may go ahead. */
    long acquire(String key, int capacity, Duration period) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > MAX_BUCKETS) {
            buckets.clear(); // a flood of distinct addresses must not exhaust memory; limits restart
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(capacity, period, now)).take(now);
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
