package eu.ehds.rights.projections.decision;

import eu.ehds.rights.ledger.api.optout.OptOutScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every person's opt-out history, keyed by pseudonym, with the leaf index of each change so that a decision can
 * be taken as of any past tree size as well as any past instant.
 *
 * <p>This first version favours clarity over footprint (a hash map of small lists); the compact structure for
 * national scale is a later step.
 */
public final class OptOutTimelines {

    /** One opt-out with the leaves that registered and (perhaps) withdrew it. */
    private record Entry(OptOutScope scope, Instant registeredAt, long registeredLeaf, Instant withdrawnAt,
                         long withdrawnLeaf) {
        Entry withdrawn(Instant at, long leaf) {
            return new Entry(scope, registeredAt, registeredLeaf, at, leaf);
        }
    }

    private final Map<String, List<Entry>> byPerson = new ConcurrentHashMap<>();

    /** Applies a registration; the same registration twice changes nothing. */
    public void registered(String person, OptOutScope scope, Instant at, long leaf) {
        byPerson.compute(person, (p, list) -> {
            if (list != null && list.stream().anyMatch(e -> e.registeredLeaf() == leaf)) {
                return list;
            }
            List<Entry> next = list == null ? new ArrayList<>(1) : new ArrayList<>(list);
            next.add(new Entry(scope, at, leaf, null, -1));
            return List.copyOf(next);
        });
    }

    /** Applies a withdrawal to the open opt-out of that scope; a repeated or unmatched withdrawal changes nothing. */
    public void withdrawn(String person, OptOutScope scope, Instant at, long leaf) {
        byPerson.computeIfPresent(person, (p, list) -> {
            if (list.stream().anyMatch(e -> e.withdrawnLeaf() == leaf)) {
                return list;
            }
            List<Entry> next = new ArrayList<>(list);
            for (int i = 0; i < next.size(); i++) {
                Entry e = next.get(i);
                if (e.scope().equals(scope) && e.withdrawnAt() == null && e.registeredLeaf() < leaf) {
                    next.set(i, e.withdrawn(at, leaf));
                    return List.copyOf(next);
                }
            }
            return list;
        });
    }

    /** The person's opt-outs as the log stood at {@code treeSize} leaves. */
    public List<OptOutPeriod> periods(String person, long treeSize) {
        List<Entry> entries = byPerson.get(person);
        if (entries == null) {
            return List.of();
        }
        List<OptOutPeriod> out = new ArrayList<>(entries.size());
        for (Entry e : entries) { // lists are replaced, never changed: no lock needed to read them
            if (e.registeredLeaf() < treeSize) {
                Instant withdrawn = e.withdrawnAt() != null && e.withdrawnLeaf() < treeSize ? e.withdrawnAt() : null;
                out.add(new OptOutPeriod(e.scope(), e.registeredAt(), withdrawn));
            }
        }
        return out;
    }

    /** The set keys (first 64 bits of the pseudonym) of the people whose periods match. */
    long[] select(java.util.function.Predicate<List<OptOutPeriod>> test, long treeSize) {
        long[] keys = new long[Math.max(16, byPerson.size())];
        int n = 0;
        for (String person : byPerson.keySet()) {
            List<OptOutPeriod> periods = periods(person, treeSize);
            if (!periods.isEmpty() && test.test(periods)) {
                if (n == keys.length) {
                    keys = java.util.Arrays.copyOf(keys, n * 2);
                }
                keys[n++] = eu.ehds.rights.projections.extract.PseudonymSet.key(person);
            }
        }
        return java.util.Arrays.copyOf(keys, n);
    }

    public int people() {
        return byPerson.size();
    }
}
