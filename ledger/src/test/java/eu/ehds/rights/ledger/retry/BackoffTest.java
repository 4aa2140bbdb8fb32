package eu.ehds.rights.ledger.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void waits_double_up_to_the_maximum_and_the_last_attempt_makes_a_dead_letter() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 5);

        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.after(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.after(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.after(200)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.exhausted(4)).isFalse();
        assertThat(backoff.exhausted(5)).isTrue();
    }

    @Test
    void a_policy_that_never_gives_up_still_caps_its_wait_even_after_many_failures() {
        Backoff anchoring = Backoff.forever(java.time.Duration.ofSeconds(2), java.time.Duration.ofMinutes(5));
        org.assertj.core.api.Assertions.assertThat(anchoring.after(1)).isEqualTo(java.time.Duration.ofSeconds(2));
        org.assertj.core.api.Assertions.assertThat(anchoring.after(3)).isEqualTo(java.time.Duration.ofSeconds(8));
        org.assertj.core.api.Assertions.assertThat(anchoring.after(10_000)).isEqualTo(java.time.Duration.ofMinutes(5));
        org.assertj.core.api.Assertions.assertThat(anchoring.exhausted(1_000_000)).isFalse();
    }
}
