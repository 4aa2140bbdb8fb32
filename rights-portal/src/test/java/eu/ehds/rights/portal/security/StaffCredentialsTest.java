package eu.ehds.rights.portal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

class StaffCredentialsTest {

    private final AtomicInteger bcryptChecks = new AtomicInteger();
    private final PasswordEncoder real = SecurityConfiguration.staffPasswordEncoder();
    private final PasswordEncoder counting = new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            return real.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            bcryptChecks.incrementAndGet();
            return real.matches(raw, encoded);
        }
    };
    private final AtomicLong now = new AtomicLong();
    private final InMemoryUserDetailsManager staff = new InMemoryUserDetailsManager(
            User.withUsername("admin").password(real.encode("a-long-admin-password")).roles("ADMIN").build());
    private final StaffCredentials credentials = new StaffCredentials(staff::loadUserByUsername, counting, now::get);

    @Test
    void staff_hashes_use_bcrypt_at_cost_twelve() {
        assertThat(real.encode("a-long-admin-password")).startsWith("{bcrypt}$2a$12$");
    }

    @Test
    void a_verified_credential_is_remembered_for_a_minute_and_then_checked_again() {
        credentials.authenticate(login("admin", "a-long-admin-password"));
        credentials.authenticate(login("admin", "a-long-admin-password"));
        assertThat(bcryptChecks).hasValue(1);

        now.addAndGet(StaffCredentials.REMEMBERED.toNanos());
        assertThat(credentials.authenticate(login("admin", "a-long-admin-password")).isAuthenticated()).isTrue();
        assertThat(bcryptChecks).hasValue(2);
    }

    @Test
    void a_credential_in_use_stays_remembered() {
        credentials.authenticate(login("admin", "a-long-admin-password"));
        for (int i = 0; i < 5; i++) {
            now.addAndGet(StaffCredentials.REMEMBERED.toNanos() / 2);
            credentials.authenticate(login("admin", "a-long-admin-password"));
        }
        assertThat(bcryptChecks).hasValue(1);
    }

    @Test
    void requests_arriving_together_with_a_credential_share_one_check() throws Exception {
        // given sixteen requests with the same credential, none remembered yet; when they arrive at once
        List<Future<Authentication>> answers = together(16, "admin", "a-long-admin-password");

        // then all are authenticated after one bcrypt check, not sixteen
        for (Future<Authentication> answer : answers) {
            assertThat(answer.get(30, TimeUnit.SECONDS).isAuthenticated()).isTrue();
        }
        assertThat(bcryptChecks).hasValue(1);
    }

    @Test
    void requests_arriving_together_with_a_wrong_password_share_one_refusal_whether_the_user_exists_or_not()
            throws Exception {
        for (String user : List.of("admin", "mallory")) {
            // given sixteen requests with the same wrong password; when they arrive at once
            bcryptChecks.set(0);
            List<Future<Authentication>> answers = together(16, user, "wrong-password");

            // then all are refused after one bcrypt check: no thread waits for fifteen others, and the time taken
            // tells nothing of whether the user exists
            for (Future<Authentication> answer : answers) {
                assertThatThrownBy(() -> answer.get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(BadCredentialsException.class);
            }
            // (one; two if a thread of the pool is scheduled after the first check ended, a quarter of a second)
            assertThat(bcryptChecks.get()).as(user).isBetween(1, 2);
        }
    }

    private List<Future<Authentication>> together(int requests, String user, String password) {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        List<Future<Authentication>> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return credentials.authenticate(login(user, password));
            }));
        }
        start.countDown();
        pool.shutdown(); // the submitted requests still run
        return answers;
    }

    @Test
    void a_wrong_password_is_never_remembered() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> credentials.authenticate(login("admin", "wrong-password")))
                    .isInstanceOf(BadCredentialsException.class);
        }
        assertThat(bcryptChecks).hasValue(3);
    }

    @Test
    void an_unknown_user_is_refused_like_a_wrong_password() {
        assertThatThrownBy(() -> credentials.authenticate(login("mallory", "a-long-admin-password")))
                .isInstanceOf(BadCredentialsException.class);
    }

    private static UsernamePasswordAuthenticationToken login(String user, String password) {
        return UsernamePasswordAuthenticationToken.unauthenticated(user, password);
    }
}
