package eu.ehds.rights.notifications.outbox;

import java.time.Duration;

/**
 * When to try a failed notice again: doubling from {@code first} up to {@code max}; after {@code attempts} failures
 * it is a dead letter.
 */
public record Backoff(Duration first, Duration max, int attempts) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), 10);

    /** The wait after the {@code failures}-th failure (1 for the first). */
    public Duration after(int failures) {
        long millis = first.toMillis() << Math.min(30, Math.max(0, failures - 1));
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    public boolean exhausted(int failures) {
        return failures >= attempts;
    }
}
