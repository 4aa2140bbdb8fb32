package eu.ehds.rights.portal.security;

import eu.ehds.rights.portal.web.Throttles;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Counts failed sign-ins (staff HTTP Basic on the API, the portal's sign-in form) per client address and per user
 * name, so that neither guessing one account from many addresses nor many accounts from one address gets far. While
 * either count is at its limit, attempts are refused (429 with {@code Retry-After}) before any password is checked;
 * a count starts again {@link #WINDOW} after its first failure.
 *
 * <p>The counts are the whole service's (see {@link Throttles}), not each node's.
 *
 * <p>A locked user name is locked for everyone, the legitimate user too, for at most {@link #WINDOW}: the price of
 * refusing to test passwords at all while it is under attack.
 */
public final class FailedSignIns {

    public static final Duration WINDOW = Duration.ofMinutes(15);
    static final int PER_USER = 10;
    static final int PER_ADDRESS = 30;
    static final int MAX_KEYS = 100_000;
    /** Longer user names are counted by their start: a flood of huge names cannot grow the counts' memory. */
    private static final int MAX_NAME = 128;

    private static final String NAME = "sign-in failures:";

    private final Throttles counts;

    public FailedSignIns(Throttles counts) {
        this.counts = counts;
    }

    /** Seconds before this attempt may be made, or 0 when it may go ahead. */
    public long blockedFor(String address, String username) {
        String byAddress = NAME + "address:" + address;
        String byUser = username == null ? null : NAME + userKey(username);
        Map<String, Throttles.Count> found = counts.read(byUser == null ? List.of(byAddress)
                : List.of(byAddress, byUser));
        return Math.max(wait(found.get(byAddress), PER_ADDRESS),
                byUser == null ? 0 : wait(found.get(byUser), PER_USER));
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

    private long wait(Throttles.Count count, int limit) {
        long now = counts.now();
        return count == null || count.amount() < limit || now - count.since() >= WINDOW.toMillis() ? 0
                : Math.max(1, (WINDOW.toMillis() - (now - count.since())) / 1000);
    }

    private void count(String key) {
        long now = counts.now();
        counts.update(NAME + key, c -> c == null || now - c.since() >= WINDOW.toMillis()
                ? new Throttles.Count(1, now) : new Throttles.Count(c.amount() + 1, c.since()));
    }
}
