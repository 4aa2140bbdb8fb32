package eu.ehds.rights.ledger.retry;

import java.time.Duration;

/**
 * When to try again after a failure, the one policy of the project (notices in the outbox, anchors on the chain):
 * doubling from {@code first} up to {@code max}; after {@code attempts} failures the caller gives up (a notice becomes
 * a dead letter), unless it never does ({@link #forever}).
 */
public record Backoff(Duration first, Duration max, int attempts) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), 10);

    /** The wait after the {@code failures}-th failure (1 for the first). */
    public Duration after(int failures) {
        long millis = first.toMillis() << Math.min(30, Math.max(0, failures - 1));
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    /** A policy that never gives up: the anchorer keeps trying until the network answers. */
    public static Backoff forever(Duration first, Duration max) {
        return new Backoff(first, max, Integer.MAX_VALUE);
    }

    public boolean exhausted(int failures) {
        return failures >= attempts;
    }
}
