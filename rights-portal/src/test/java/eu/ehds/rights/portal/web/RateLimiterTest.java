package eu.ehds.rights.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RateLimiterTest {

    private static final int MAX_BUCKETS = 100_000;

    private final AtomicLong now = new AtomicLong();
    private final PortalProperties properties = new PortalProperties(null, null, 10, 3, 2, Duration.ofHours(24),
            org.springframework.util.unit.DataSize.ofMegabytes(1), 2, null, true);
    // cache maintenance (eviction) on the calling thread, so that the test sees its effect at once
    private final RateLimiter limiter = new RateLimiter(properties, Throttles.inMemory(MAX_BUCKETS, now::get, Runnable::run));

    private int signIn(String address) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login");
        request.setServletPath("/login");
        request.setRemoteAddr(address);
        MockHttpServletResponse response = new MockHttpServletResponse();
        limiter.signInFilter("/login").doFilter(request, response, new MockFilterChain());
        return response.getStatus();
    }

    @Test
    void sign_ins_beyond_the_limit_get_429_with_retry_after_then_recover_as_time_passes() throws Exception {
        assertThat(new int[] {signIn("10.0.0.1"), signIn("10.0.0.1"), signIn("10.0.0.1")}).containsOnly(200);
        assertThat(signIn("10.0.0.1")).isEqualTo(429);

        now.addAndGet(Duration.ofSeconds(20).toMillis()); // a third of a minute: one token back

        assertThat(signIn("10.0.0.1")).isEqualTo(200);
        assertThat(signIn("10.0.0.1")).isEqualTo(429);
    }

    @Test
    void a_flood_of_new_addresses_does_not_reset_the_limit_of_an_address_that_keeps_trying() throws Exception {
        // given an address that has used up its sign-in attempts
        for (int i = 0; i < 3; i++) {
            signIn("10.0.0.1");
        }
        assertThat(signIn("10.0.0.1")).isEqualTo(429);

        // when more distinct addresses than the limiter keeps each try once, the first one still trying in between
        for (int i = 0; i < MAX_BUCKETS + 20_000; i++) {
            signIn("flood-" + i);
            if (i % 10_000 == 0) {
                assertThat(signIn("10.0.0.1")).isEqualTo(429);
            }
        }

        // then it is still refused (clearing every bucket when the map filled let it start again)
        assertThat(signIn("10.0.0.1")).isEqualTo(429);
    }

    @Test
    void each_client_address_has_its_own_limit() throws Exception {
        for (int i = 0; i < 3; i++) {
            signIn("10.0.0.1");
        }
        assertThat(signIn("10.0.0.1")).isEqualTo(429);
        assertThat(signIn("10.0.0.2")).isEqualTo(200);
    }

    @Test
    void only_posts_to_the_limited_path_are_counted() throws Exception {
        for (int i = 0; i < 10; i++) {
            MockHttpServletRequest get = new MockHttpServletRequest("GET", "/login");
            get.setServletPath("/login");
            MockHttpServletResponse response = new MockHttpServletResponse();
            limiter.signInFilter("/login").doFilter(get, response, new MockFilterChain());
            assertThat(response.getStatus()).isEqualTo(200);
        }
        assertThat(signIn("127.0.0.1")).isEqualTo(200);
    }

    @Test
    void a_refusal_says_how_long_to_wait() throws Exception {
        for (int i = 0; i < 3; i++) {
            signIn("10.0.0.3");
        }
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login");
        request.setServletPath("/login");
        request.setRemoteAddr("10.0.0.3");
        MockHttpServletResponse response = new MockHttpServletResponse();
        limiter.signInFilter("/login").doFilter(request, response, new MockFilterChain());

        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(Long.parseLong(response.getHeader("Retry-After"))).isBetween(1L, 20L);
    }
}
