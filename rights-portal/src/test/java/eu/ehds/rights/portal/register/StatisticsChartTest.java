package eu.ehds.rights.portal.register;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.projections.statistics.OptOutStatisticsProjection;
import eu.ehds.rights.projections.statistics.OptOutStatisticsProjection.Cell;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StatisticsChartTest {

    private static List<Cell> cells(long global, long research, boolean researchSuppressed) {
        List<Cell> cells = new ArrayList<>();
        for (int s = 0; s < OptOutStatisticsProjection.SCOPES.size(); s++) {
            cells.add(new Cell(0, false));
        }
        cells.set(0, new Cell(global, false));
        cells.set(5, new Cell(research, researchSuppressed));
        return cells;
    }

    private static String chart(List<OptOutStatisticsProjection.Row> rows) {
        OptOutStatisticsProjection.Table table = new OptOutStatisticsProjection.Table(10,
                OptOutStatisticsProjection.SCOPES, rows);
        return StatisticsChart.svg(table, OptOutStatisticsProjection.Row::registered, r -> r.month().toString(),
                "c", "Opt-outs <per> month");
    }

    @Test
    void draws_one_bar_segment_per_published_figure_and_none_for_a_suppressed_one() {
        String svg = chart(List.of(
                new OptOutStatisticsProjection.Row(YearMonth.of(2026, 11), cells(40, 20, false), cells(0, 0, false)),
                new OptOutStatisticsProjection.Row(YearMonth.of(2026, 12), cells(10, 3, true), cells(0, 0, false))));
        assertThat(count(svg, "<rect ")).isEqualTo(3);
        assertThat(svg).contains("2026-11").contains("2026-12").contains("Opt-outs &lt;per&gt; month")
                .contains("role=\"img\"").doesNotContain("style=");
    }

    @Test
    void the_tallest_bar_fits_and_the_scale_is_round() {
        assertThat(StatisticsChart.niceStep(7)).isEqualTo(2);
        assertThat(StatisticsChart.niceStep(40)).isEqualTo(10);
        assertThat(StatisticsChart.niceStep(1234)).isEqualTo(500);
        String svg = chart(List.of(new OptOutStatisticsProjection.Row(YearMonth.of(2026, 1), cells(60, 0, false),
                cells(0, 0, false))));
        Matcher y = Pattern.compile("<rect x=\"[\\d.]+\" y=\"([\\d.]+)\"").matcher(svg);
        assertThat(y.find()).isTrue();
        assertThat(Double.parseDouble(y.group(1))).isGreaterThanOrEqualTo(10.0);
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }
}
