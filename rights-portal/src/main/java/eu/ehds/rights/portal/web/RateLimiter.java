package eu.ehds.rights.portal.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
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

    static final int MAX_BUCKETS = 100_000;
    /** The longest refill period: a bucket untouched that long is full again, so forgetting it changes nothing. */
    private static final Duration IDLE = Duration.ofHours(1);

    private final PortalProperties properties;
    private final LongSupplier nanoTime;
    private final Cache<String, Bucket> buckets;

    @org.springframework.beans.factory.annotation.Autowired
    public RateLimiter(PortalProperties properties) {
        this(properties, System::nanoTime);
    }

    RateLimiter(PortalProperties properties, LongSupplier nanoTime) {
        this(properties, nanoTime, ForkJoinPool.commonPool());
    }

    /**
     * Buckets are bounded: past {@link #MAX_BUCKETS} the cache evicts the addresses seen least often and least
     * recently (Caffeine's W-TinyLFU), so a flood of new addresses cannot reset the limits of an address that keeps
     * trying, as clearing the whole map did.
     */
    RateLimiter(PortalProperties properties, LongSupplier nanoTime, Executor maintenance) {
        this.properties = properties;
        this.nanoTime = nanoTime;
        this.buckets = Caffeine.newBuilder().maximumSize(MAX_BUCKETS).expireAfterAccess(IDLE)
                .ticker(nanoTime::getAsLong).executor(maintenance).build();
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
        return buckets.get(key, k -> new Bucket(capacity, period, now)).take(now);
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
