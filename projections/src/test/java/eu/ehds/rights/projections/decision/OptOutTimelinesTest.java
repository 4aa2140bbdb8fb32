package eu.ehds.rights.projections.decision;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OptOutTimelinesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456Z");

    private static String person(long i) {
        return HexFormat.of().toHexDigits(i * 0x9E3779B97F4A7C15L) + HexFormat.of().toHexDigits(i);
    }

    @Test
    void keeps_instants_to_the_millisecond_and_answers_as_of_a_tree_size() {
        OptOutTimelines timelines = new OptOutTimelines();
        timelines.registered(person(1), OptOutScope.global(), T0, 10);
        timelines.withdrawn(person(1), OptOutScope.global(), T0.plusSeconds(5), 11);
        assertThat(timelines.periods(person(1), 12)).containsExactly(new OptOutPeriod(OptOutScope.global(),
                Instant.parse("2026-01-01T00:00:00.123Z"), Instant.parse("2026-01-01T00:00:05.123Z")));
        assertThat(timelines.periods(person(1), 11).get(0).withdrawnAt()).isNull();
        assertThat(timelines.periods(person(1), 10)).isEmpty();
        assertThat(timelines.periods(person(2), 12)).isEmpty();
    }

    /** Random histories checked against a plain map of lists, across several merges into the packed base. */
    @Test
    void agrees_with_a_plain_model_through_merges() {
        Random random = new Random(42);
        OptOutTimelines timelines = new OptOutTimelines();
        Map<String, List<OptOutPeriod[]>> model = new HashMap<>();
        List<OptOutScope> scopes = List.of(OptOutScope.global(), OptOutScope.purpose(PurposeCategory.STATISTICS),
                OptOutScope.project("prj-a"), OptOutScope.project("prj-b"));
        int people = 150_000;
        long leaf = 0;
        List<long[]> leavesOf = new ArrayList<>();
        for (int step = 0; step < 220_000; step++) {
            String p = person(random.nextInt(people));
            OptOutScope scope = scopes.get(random.nextInt(scopes.size()));
            Instant at = T0.plusMillis(step * 7L);
            List<OptOutPeriod[]> history = model.computeIfAbsent(p, k -> new ArrayList<>());
            OptOutPeriod[] open = history.stream().filter(h -> h[0].scope().equals(scope) && h[0].withdrawnAt() == null)
                    .findFirst().orElse(null);
            if (open == null) {
                timelines.registered(p, scope, at, leaf);
                history.add(new OptOutPeriod[] {new OptOutPeriod(scope, at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), null)});
            } else {
                timelines.withdrawn(p, scope, at, leaf);
                open[0] = new OptOutPeriod(scope, open[0].registeredAt(), at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            }
            leaf++;
        }
        timelines.merge();
        int checked = 0;
        for (Map.Entry<String, List<OptOutPeriod[]>> e : model.entrySet()) {
            List<OptOutPeriod> expected = e.getValue().stream().map(h -> h[0]).toList();
            assertThat(timelines.periods(e.getKey(), leaf)).containsExactlyInAnyOrderElementsOf(expected);
            checked++;
        }
        assertThat(checked).isGreaterThan(100_000);
        assertThat(timelines.people()).isEqualTo(model.size());
        assertThat(timelines.select((key, periods) -> true, leaf)).hasSize(model.size());
    }

    @Test
    void packs_simple_histories_in_one_record_each_beside_a_fixed_directory() {
        OptOutTimelines timelines = new OptOutTimelines();
        for (int i = 0; i < 100_000; i++) {
            timelines.registered(person(i), OptOutScope.global(), T0.plusMillis(i), i);
        }
        timelines.merge();
        long directory = 4L * ((1 << 16) + 1);
        assertThat(timelines.baseFootprintBytes()).isLessThanOrEqualTo(17L * 100_000 + 8 + directory);
        assertThat(timelines.keptApart()).isZero();
        assertThat(timelines.periods(person(77), 100_000)).containsExactly(
                new OptOutPeriod(OptOutScope.global(), Instant.parse("2026-01-01T00:00:00.200Z"), null));
    }

    @Test
    void an_imported_registry_is_packed_whatever_its_registration_dates() {
        // given opt-outs recorded now in commit order but registered over the past twelve years, and one in 1950
        Random random = new Random(7);
        OptOutTimelines timelines = new OptOutTimelines();
        Map<String, Instant> registered = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            Instant at = T0.minusMillis((long) (random.nextDouble() * 12 * 365 * 86_400_000L));
            registered.put(person(i), at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            timelines.registered(person(i), OptOutScope.purpose(PurposeCategory.STATISTICS), at, i);
        }
        Instant longAgo = Instant.parse("1950-06-01T12:00:00.999Z");
        timelines.registered(person(20_000), OptOutScope.global(), longAgo, 20_000);
        registered.put(person(20_000), longAgo);

        // when the model packs them
        timelines.merge();

        // then every one is in the base, with its own registration date to the millisecond
        assertThat(timelines.keptApart()).isZero();
        registered.forEach((p, at) -> assertThat(timelines.periods(p, 20_001)).extracting(OptOutPeriod::registeredAt)
                .containsExactly(at));
    }

    @Test
    void values_that_do_not_fit_a_record_keep_their_history_apart_and_exact() {
        OptOutTimelines timelines = new OptOutTimelines();
        Instant farAhead = Instant.parse("6500-01-01T00:00:00Z"); // past 48 bits of milliseconds
        timelines.registered(person(1), OptOutScope.global(), T0, 5);
        timelines.registered(person(2), OptOutScope.global(), farAhead, 6);
        for (int p = 0; p < 300; p++) { // more projects than a record's 8-bit scope code can name
            timelines.registered(person(100 + p), OptOutScope.project("prj-" + p), T0, 1000 + p);
        }
        timelines.registered(person(3), OptOutScope.global(), T0, (1L << 31) + 7); // a leaf beyond 31 bits
        timelines.merge();

        assertThat(timelines.periods(person(2), 7)).containsExactly(
                new OptOutPeriod(OptOutScope.global(), farAhead, null));
        assertThat(timelines.periods(person(399), 2000)).extracting(OptOutPeriod::scope)
                .containsExactly(OptOutScope.project("prj-299"));
        assertThat(timelines.periods(person(3), 1L << 32)).hasSize(1);
        assertThat(timelines.periods(person(3), 1L << 31)).isEmpty();
        assertThat(timelines.people()).isEqualTo(303);
        int projectsWithoutCode = 300 - (256 - (1 + PurposeCategory.values().length)); // codes above 255
        assertThat(timelines.keptApart()).isEqualTo(1 + projectsWithoutCode + 1);
    }

    @Test
    void a_settled_model_merges_in_small_steps() {
        OptOutTimelines timelines = new OptOutTimelines();
        for (int i = 0; i < 50_000; i++) {
            timelines.registered(person(i), OptOutScope.global(), T0, i);
        }
        timelines.settle();
        long settled = timelines.baseFootprintBytes();
        for (int i = 50_000; i < 50_000 + OptOutTimelines.LIVE_MERGE_AT; i++) {
            timelines.registered(person(i), OptOutScope.global(), T0, i);
        }
        assertThat(timelines.baseFootprintBytes()).isGreaterThan(settled); // merged without waiting for an eighth
        assertThat(timelines.people()).isEqualTo(50_000 + OptOutTimelines.LIVE_MERGE_AT);
    }

    /**
     * Keys at the edges of the directory (the first and last buckets, the first and last record of a bucket, equal low
     * 48 bits in two buckets), changed while the model serves, checked after every live merge and between them.
     */
    @Test
    void a_serving_model_keeps_every_history_through_live_merges_at_the_directory_edges() {
        // given a serving model holding people at the edges of its directory, and more in between
        List<String> edges = List.of("0000000000000000", "0000ffffffffffff", "0001000000000000", "7fff000000000001",
                "8000000000000001", "8000ffffffffffff", "ffff000000000000", "ffffffffffffffff", "1234000000abcdef",
                "5678000000abcdef");
        OptOutTimelines timelines = new OptOutTimelines();
        Map<String, List<OptOutPeriod>> expected = new HashMap<>();
        long leaf = 0;
        for (String edge : edges) {
            leaf = register(timelines, expected, edge + "0000000000000000", OptOutScope.global(), leaf);
        }
        for (int i = 1; i <= 30_000; i++) { // person(0) would share the first edge's key
            leaf = register(timelines, expected, person(i), OptOutScope.global(), leaf);
        }
        timelines.settle();

        // when each round changes half the edge people (a project opt-out, later a withdrawal), the others staying in
        // the base, then registers enough others for a live merge
        for (int round = 0; round < 4; round++) {
            for (int e = round % 2; e < edges.size(); e += 2) {
                String p = edges.get(e) + "0000000000000000";
                if (round >= 2) {
                    Instant at = T0.plusSeconds(leaf).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                    timelines.withdrawn(p, OptOutScope.global(), at, leaf++);
                    OptOutPeriod open = expected.get(p).get(0);
                    expected.get(p).set(0, new OptOutPeriod(open.scope(), open.registeredAt(), at));
                } else {
                    leaf = register(timelines, expected, p, OptOutScope.project("prj-" + round), leaf);
                }
            }
            assertAgrees(timelines, expected, leaf); // in the delta
            for (int i = 0; i < OptOutTimelines.LIVE_MERGE_AT; i++) {
                leaf = register(timelines, expected, person(1_000_000L * (round + 1) + i), OptOutScope.global(), leaf);
            }
            // then every history, simple or kept apart, changed or copied, reads the same after the merge as before it
            assertAgrees(timelines, expected, leaf);
        }
        assertThat(timelines.keptApart()).isEqualTo(edges.size());
    }


    /**
     * A bulk selection while merges run: every person registered before it began is in it (reading the base before the
     * delta, a merge between the two reads lost the people it moved).
     */
    @Test
    void a_selection_during_live_merges_misses_nobody_registered_before_it() throws Exception {
        // given a serving model, and a thread registering people one after another, merging every 16,384
        OptOutTimelines timelines = new OptOutTimelines();
        int settled = 50_000;
        for (int i = 0; i < settled; i++) {
            timelines.registered(person(i), OptOutScope.global(), T0, i);
        }
        timelines.settle();
        int total = settled + 40 * OptOutTimelines.LIVE_MERGE_AT;
        java.util.concurrent.atomic.AtomicInteger registered = new java.util.concurrent.atomic.AtomicInteger(settled);
        Thread writer = new Thread(() -> {
            for (int i = settled; i < total; i++) {
                timelines.registered(person(i), OptOutScope.global(), T0, i);
                registered.set(i + 1);
            }
        });
        writer.start();

        // when selections run meanwhile, then each holds the latest people registered before it began
        int selections = 0;
        while (writer.isAlive() || selections == 0) {
            int before = registered.get();
            long[] selected = timelines.select((key, periods) -> true, Long.MAX_VALUE);
            Arrays.sort(selected);
            for (int i = Math.max(0, before - 2 * OptOutTimelines.LIVE_MERGE_AT); i < before; i++) {
                long key = eu.ehds.rights.projections.extract.PseudonymSet.key(person(i));
                assertThat(Arrays.binarySearch(selected, key)).as("person %d of %d, selection %d", i, before,
                        selections).isGreaterThanOrEqualTo(0);
            }
            selections++;
        }
        writer.join();
        assertThat(timelines.people()).isEqualTo(total);
    }

    private static long register(OptOutTimelines timelines, Map<String, List<OptOutPeriod>> expected, String p,
                                 OptOutScope scope, long leaf) {
        Instant at = T0.plusSeconds(leaf).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        timelines.registered(p, scope, at, leaf);
        expected.computeIfAbsent(p, k -> new ArrayList<>()).add(new OptOutPeriod(scope, at, null));
        return leaf + 1;
    }

    private static void assertAgrees(OptOutTimelines timelines, Map<String, List<OptOutPeriod>> expected, long leaf) {
        expected.forEach((p, periods) -> assertThat(timelines.periods(p, leaf)).as(p)
                .containsExactlyInAnyOrderElementsOf(periods));
        assertThat(timelines.people()).isEqualTo(expected.size());
        assertThat(timelines.select((key, periods) -> true, leaf)).hasSize(expected.size());
    }
}
