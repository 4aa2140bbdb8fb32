package eu.ehds.rights.notifications.outbox;

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
}
