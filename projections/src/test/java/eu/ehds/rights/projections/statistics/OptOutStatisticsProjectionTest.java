package eu.ehds.rights.projections.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.optout.OptOutRegistered;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.optout.OptOutWithdrawn;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OptOutStatisticsProjectionTest {

    private static final String PERSON = "c".repeat(32);
    private OptOutStatisticsProjection statistics;
    private long leaf;

    @BeforeEach
    void givenNoEvents() {
        statistics = new OptOutStatisticsProjection();
        leaf = 0;
    }

    private void registered(int count, OptOutScope scope, String at) {
        for (int i = 0; i < count; i++) {
            statistics.apply(new OptOutRegistered(PERSON, scope, Channel.PORTAL, "citizen", Instant.parse(at)), leaf++);
        }
    }

    private static int column(String scope) {
        return OptOutStatisticsProjection.SCOPES.indexOf(scope);
    }

    @Test
    void counts_registrations_and_withdrawals_per_utc_month_and_scope() {
        registered(12, OptOutScope.global(), "2026-01-31T23:30:00Z");
        registered(10, OptOutScope.purpose(PurposeCategory.EDUCATION), "2026-02-01T00:00:00Z");
        for (int i = 0; i < 11; i++) {
            statistics.apply(new OptOutWithdrawn(PERSON, OptOutScope.global(), Channel.PORTAL, "citizen",
                    Instant.parse("2026-02-10T00:00:00Z")), leaf++);
        }

        OptOutStatisticsProjection.Table table = statistics.table(10);

        assertThat(table.rows()).extracting(OptOutStatisticsProjection.Row::month)
                .containsExactly(YearMonth.of(2026, 2), YearMonth.of(2026, 1));
        OptOutStatisticsProjection.Row february = table.rows().get(0);
        assertThat(february.registered().get(column("PURPOSE:EDUCATION")).value()).isEqualTo(10);
        assertThat(february.withdrawn().get(column("GLOBAL")).value()).isEqualTo(11);
        assertThat(table.rows().get(1).registered().get(column("GLOBAL")).value()).isEqualTo(12);
    }

    @Test
    void small_groups_are_suppressed_and_zero_is_shown_as_zero() {
        registered(9, OptOutScope.project("prj-1"), "2026-03-05T12:00:00Z");

        OptOutStatisticsProjection.Row march = statistics.table(10).rows().get(0);

        assertThat(march.registered().get(column("PROJECT"))).isEqualTo(new OptOutStatisticsProjection.Cell(0, true));
        assertThat(march.registered().get(column("GLOBAL"))).isEqualTo(new OptOutStatisticsProjection.Cell(0, false));
    }

    @Test
    void the_same_leaf_twice_counts_once() {
        OptOutRegistered event = new OptOutRegistered(PERSON, OptOutScope.global(), Channel.PORTAL, "citizen",
                Instant.parse("2026-04-01T00:00:00Z"));
        statistics.apply(event, 7);
        statistics.apply(event, 7);

        assertThat(statistics.table(1).rows().get(0).registered().get(column("GLOBAL")).value()).isEqualTo(1);
    }

    @Test
    void a_threshold_below_one_is_refused() {
        assertThatThrownBy(() -> statistics.table(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
