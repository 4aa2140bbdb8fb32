package eu.ehds.rights.portal.register;

import eu.ehds.rights.projections.statistics.OptOutStatisticsProjection;
import java.util.List;
import java.util.function.Function;

/**
 * The statistics as a picture: one stacked bar per month, a colour per scope, drawn on the server as SVG (no script,
 * no inline style, so the content security policy stays strict). Figures too small to publish are not drawn (the
 * table beside it, the accessible alternative, says "fewer than N" for them).
 */
final class StatisticsChart {

    /** Colours per scope, in {@link OptOutStatisticsProjection#SCOPES} order; each reaches 3:1 against white. */
    static final List<String> COLOURS = List.of("#000091", "#c9191e", "#18753c", "#b34000", "#695240", "#8585f6",
            "#a558a0", "#3a3a3a");

    private static final int WIDTH = 480; // with 14-unit text: readable on a phone, the picture scaling to the width
    private static final int HEIGHT = 240;
    private static final int LEFT = 52;
    private static final int BOTTOM = 28;
    private static final int TOP = 10;

    private StatisticsChart() {
    }

    /**
     * @param counts the cells of one kind (registered or withdrawn) for a row
     * @param month  a month as people write it, for the axis
     * @param title  what the picture shows, for screen readers
     */
    static String svg(OptOutStatisticsProjection.Table table,
                      Function<OptOutStatisticsProjection.Row, List<OptOutStatisticsProjection.Cell>> counts,
                      Function<OptOutStatisticsProjection.Row, String> month, String id, String title) {
        List<OptOutStatisticsProjection.Row> rows = table.rows();
        long max = 1;
        for (OptOutStatisticsProjection.Row row : rows) {
            max = Math.max(max, drawn(counts.apply(row)));
        }
        long step = niceStep(max);
        long top = ((max + step - 1) / step) * step;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double band = (WIDTH - LEFT - 8) / (double) Math.max(1, rows.size());
        double bar = Math.min(48, band * 0.7);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" aria-labelledby=\"").append(id).append("-title\">")
                .append("<title id=\"").append(id).append("-title\">").append(escape(title)).append("</title>");
        for (long tick = 0; tick <= top; tick += step) {
            double y = TOP + plotHeight - plotHeight * tick / top;
            svg.append(String.format(java.util.Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"14\" "
                    + "fill=\"#3a3a3a\">%d</text>", LEFT, WIDTH - 8, y, y, LEFT - 6, y + 4, tick));
        }
        for (int i = 0; i < rows.size(); i++) {
            double x = LEFT + band * i + (band - bar) / 2;
            double base = TOP + plotHeight;
            List<OptOutStatisticsProjection.Cell> cells = counts.apply(rows.get(i));
            for (int s = 0; s < cells.size(); s++) {
                OptOutStatisticsProjection.Cell cell = cells.get(s);
                if (cell.suppressed() || cell.value() == 0) {
                    continue;
                }
                double h = plotHeight * cell.value() / top;
                base -= h;
                svg.append(String.format(java.util.Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        + "height=\"%.1f\" fill=\"%s\"/>", x, base, bar, h, COLOURS.get(s % COLOURS.size())));
            }
            svg.append(String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
                    + "font-size=\"14\" fill=\"#3a3a3a\">%s</text>", x + bar / 2, HEIGHT - 10,
                    escape(month.apply(rows.get(i)))));
        }
        return svg.append("</svg>").toString();
    }

    /** The sum a month's bar shows: published figures only. */
    private static long drawn(List<OptOutStatisticsProjection.Cell> cells) {
        return cells.stream().filter(c -> !c.suppressed()).mapToLong(OptOutStatisticsProjection.Cell::value).sum();
    }

    /** A round step (1, 2, 5, 10, 20, 50, ...) giving at most five grid lines. */
    static long niceStep(long max) {
        for (long base = 1; ; base *= 10) {
            for (long m : new long[] {1, 2, 5}) {
                if (max / (m * base) <= 5) {
                    return m * base;
                }
            }
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
