package eu.ehds.rights.projections.decision;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import java.time.Instant;
import java.util.ArrayList;
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
    void packs_simple_histories_in_fourteen_bytes_beside_a_fixed_directory() {
        OptOutTimelines timelines = new OptOutTimelines();
        for (int i = 0; i < 100_000; i++) {
            timelines.registered(person(i), OptOutScope.global(), T0.plusMillis(i), i);
        }
        timelines.merge();
        long directory = 4L * ((1 << 16) + 1);
        long blocks = 8L * Long.highestOneBit(100_000 / OptOutTimelines.BLOCK) * 2;
        assertThat(timelines.baseFootprintBytes()).isLessThanOrEqualTo(14L * 100_000 + 8 + directory + blocks);
        assertThat(timelines.periods(person(77), 100_000)).containsExactly(
                new OptOutPeriod(OptOutScope.global(), Instant.parse("2026-01-01T00:00:00.200Z"), null));
    }

    @Test
    void values_that_do_not_fit_a_record_keep_their_history_apart_and_exact() {
        OptOutTimelines timelines = new OptOutTimelines();
        // the block's reference is the first instant packed from it; one three hours later does not fit 24 bits of ms
        timelines.registered(person(1), OptOutScope.global(), T0, 5);
        timelines.registered(person(2), OptOutScope.global(), T0.plusSeconds(3 * 3600), 6);
        for (int p = 0; p < 300; p++) { // more projects than a record's 8-bit scope code can name
            timelines.registered(person(100 + p), OptOutScope.project("prj-" + p), T0, 1000 + p);
        }
        timelines.registered(person(3), OptOutScope.global(), T0, (1L << 31) + 7); // a leaf beyond 31 bits
        timelines.merge();

        assertThat(timelines.periods(person(2), 7)).containsExactly(
                new OptOutPeriod(OptOutScope.global(), T0.plusSeconds(3 * 3600).truncatedTo(java.time.temporal.ChronoUnit.MILLIS), null));
        assertThat(timelines.periods(person(399), 2000)).extracting(OptOutPeriod::scope)
                .containsExactly(OptOutScope.project("prj-299"));
        assertThat(timelines.periods(person(3), 1L << 32)).hasSize(1);
        assertThat(timelines.periods(person(3), 1L << 31)).isEmpty();
        assertThat(timelines.people()).isEqualTo(303);
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
}
