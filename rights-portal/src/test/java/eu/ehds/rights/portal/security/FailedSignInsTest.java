package eu.ehds.rights.portal.security;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.portal.web.Throttles;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailedSignInsTest {

    private final AtomicLong now = new AtomicLong();
    private final FailedSignIns failures = new FailedSignIns(Throttles.inMemory(1_000, now::get, Runnable::run));

    @Test
    void a_user_name_is_blocked_after_ten_failures_from_any_addresses_until_its_window_ends() {
        for (int i = 0; i < FailedSignIns.PER_USER; i++) {
            assertThat(failures.blockedFor("198.51.100." + i, "admin")).isZero();
            failures.failed("198.51.100." + i, "admin");
        }
        assertThat(failures.blockedFor("203.0.113.1", "admin")).isEqualTo(FailedSignIns.WINDOW.toSeconds());
        assertThat(failures.blockedFor("203.0.113.1", "auditor")).isZero();

        now.addAndGet(FailedSignIns.WINDOW.toMillis());
        assertThat(failures.blockedFor("203.0.113.1", "admin")).isZero();
    }

    @Test
    void an_address_is_blocked_after_thirty_failures_whatever_the_user_names() {
        for (int i = 0; i < FailedSignIns.PER_ADDRESS; i++) {
            failures.failed("198.51.100.1", "user-" + i);
        }
        assertThat(failures.blockedFor("198.51.100.1", "someone-else")).isPositive();
        assertThat(failures.blockedFor("198.51.100.2", "someone-else")).isZero();
    }

    @Test
    void user_names_are_counted_without_regard_to_case() {
        for (int i = 0; i < FailedSignIns.PER_USER; i++) {
            failures.failed("198.51.100." + i, i % 2 == 0 ? "Admin" : "ADMIN");
        }
        assertThat(failures.blockedFor("203.0.113.1", "admin")).isPositive();
    }
}
