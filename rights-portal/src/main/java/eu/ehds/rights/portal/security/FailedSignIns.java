package eu.ehds.rights.portal.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failed sign-ins (staff HTTP Basic on the API, the portal's sign-in form) per client address and per user
 * name, so that neither guessing one account from many addresses nor many accounts from one address gets far. While
 * either count is at its limit, attempts are refused (429 with {@code Retry-After}) before any password is checked;
 * a count starts again {@link #WINDOW} after its first failure.
 *
 * <p>A locked user name is locked for everyone, the legitimate user too, for at most {@link #WINDOW}: the price of
 * refusing to test passwords at all while it is under attack.
 */
public final class FailedSignIns {

    public static final Duration WINDOW = Duration.ofMinutes(15);
    static final int PER_USER = 10;
    static final int PER_ADDRESS = 30;
    private static final int MAX_KEYS = 100_000;
    /** Longer user names are counted by their start: a flood of huge names cannot grow the counts' memory. */
    private static final int MAX_NAME = 128;

    private record Count(long since, int failures) {
    }

    private final LongSupplier nanoTime;
    private final Map<String, Count> counts = new ConcurrentHashMap<>();

    public FailedSignIns() {
        this(System::nanoTime);
    }

    FailedSignIns(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Seconds before this attempt may be made, or 0 when it may go ahead. */
    public long blockedFor(String address, String username) {
        return Math.max(wait("address:" + address, PER_ADDRESS),
                username == null ? 0 : wait(userKey(username), PER_USER));
    }

    public void failed(String address, String username) {
        count("address:" + address);
        if (username != null) {
            count(userKey(username));
        }
    }

    private static String userKey(String username) {
        String name = username.toLowerCase(java.util.Locale.ROOT);
        return "user:" + (name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name);
    }

    private long wait(String key, int limit) {
        Count c = counts.get(key);
        long now = nanoTime.getAsLong();
        if (c == null || c.failures() < limit || now - c.since() >= WINDOW.toNanos()) {
            return 0;
        }
        return Math.max(1, (WINDOW.toNanos() - (now - c.since())) / 1_000_000_000L);
    }

    private void count(String key) {
        long now = nanoTime.getAsLong();
        if (counts.size() >= MAX_KEYS) {
            // expired counts go first; live ones stay, so a flood of addresses cannot reset anyone's count
            counts.values().removeIf(c -> now - c.since() >= WINDOW.toNanos());
        }
        if (counts.size() >= MAX_KEYS && !counts.containsKey(key)) {
            return; // still full of live counts: the user name's count (a small set) still applies
        }
        counts.compute(key, (k, c) -> c == null || now - c.since() >= WINDOW.toNanos() ? new Count(now, 1)
                : new Count(c.since(), c.failures() + 1));
    }
}
