package eu.ehds.rights.projections.statistics;

import eu.ehds.rights.ledger.api.consent.ConsentGiven;
import eu.ehds.rights.ledger.api.consent.ConsentWithdrawn;
import eu.ehds.rights.ledger.api.optout.OptOutRegistered;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.optout.OptOutWithdrawn;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.projections.readmodel.ReadModel;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Open statistics: opt-outs registered and withdrawn per month (UTC) and scope. Published figures hide small
 * groups: a count from 1 to {@code threshold - 1} is shown only as "fewer than threshold", and no totals are
 * published beside the cells, so a hidden cell cannot be worked out by subtraction.
 *
 * <pre>{@code
 * OptOutStatisticsProjection.Table table = statistics.table(10);
 * }</pre>
 */
public class OptOutStatisticsProjection extends ReadModel<OptOutStatisticsProjection> {

    /** The published columns: global, one per purpose category, and project-scoped opt-outs taken together. */
    public static final List<String> SCOPES;

    static {
        List<String> scopes = new ArrayList<>();
        scopes.add("GLOBAL");
        for (PurposeCategory purpose : PurposeCategory.values()) {
            scopes.add("PURPOSE:" + purpose.name());
        }
        scopes.add("PROJECT");
        SCOPES = List.copyOf(scopes);
    }

    /** A published figure: the count, or {@code suppressed} when it is too small to publish. */
    public record Cell(long value, boolean suppressed) {
    }

    /** One month: registrations and withdrawals per scope, in {@link #SCOPES} order. */
    public record Row(YearMonth month, List<Cell> registered, List<Cell> withdrawn) {
    }

    public record Table(int threshold, List<String> scopes, List<Row> rows) {
    }

    private final Object lock = new Object();
    private final TreeMap<YearMonth, long[]> counts = new TreeMap<>(); // [registered per scope..., withdrawn per scope...]
    private final TreeMap<YearMonth, long[]> consentCounts = new TreeMap<>(); // [given per scope..., withdrawn...]
    private final BitSet counted = new BitSet();

    public OptOutStatisticsProjection() {
        super(OptOutStatisticsProjection::new, OptOutRegistered.class, OptOutWithdrawn.class, ConsentGiven.class,
                ConsentWithdrawn.class);
    }

    @Override
    protected void takeOver(OptOutStatisticsProjection fresh) {
        synchronized (lock) {
            synchronized (fresh.lock) {
                counts.clear();
                counts.putAll(fresh.counts);
                consentCounts.clear();
                consentCounts.putAll(fresh.consentCounts);
                counted.clear();
                counted.or(fresh.counted);
            }
        }
    }

    /**
     * Applies an opt-out or consent event with its leaf index; the same leaf twice counts once, other events not at
     * all.
     */
    @Override
    public void apply(Object event, long leaf) {
        if (event instanceof OptOutRegistered e) {
            count(counts, leaf, e.registeredAt(), e.scope(), 0);
        } else if (event instanceof OptOutWithdrawn e) {
            count(counts, leaf, e.withdrawnAt(), e.scope(), SCOPES.size());
        } else if (event instanceof ConsentGiven e) {
            count(consentCounts, leaf, e.givenAt(), e.scope(), 0);
        } else if (event instanceof ConsentWithdrawn e) {
            count(consentCounts, leaf, e.withdrawnAt(), e.scope(), SCOPES.size());
        }
    }

    private void count(TreeMap<YearMonth, long[]> counts, long leaf, Instant at, OptOutScope scope, int offset) {
        if (leaf < 0 || leaf > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("leaf index out of range: " + leaf);
        }
        synchronized (lock) {
            if (counted.get((int) leaf)) {
                return;
            }
            counted.set((int) leaf);
            YearMonth month = YearMonth.from(at.atOffset(ZoneOffset.UTC));
            counts.computeIfAbsent(month, m -> new long[2 * SCOPES.size()])[offset + column(scope)]++;
        }
    }

    private static int column(OptOutScope scope) {
        return switch (scope.type()) {
            case GLOBAL -> 0;
            case PURPOSE -> 1 + PurposeCategory.valueOf(scope.value()).ordinal();
            case PROJECT -> SCOPES.size() - 1;
        };
    }

    /** Every month with an opt-out event, newest first, with counts below {@code threshold} suppressed. */
    public Table table(int threshold) {
        return table(counts, threshold);
    }

    /** Consents given and withdrawn: every month with one, newest first, small counts suppressed likewise. */
    public Table consentTable(int threshold) {
        return table(consentCounts, threshold);
    }

    private Table table(TreeMap<YearMonth, long[]> counts, int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        List<Row> rows = new ArrayList<>();
        synchronized (lock) {
            for (Map.Entry<YearMonth, long[]> e : counts.descendingMap().entrySet()) {
                List<Cell> registered = new ArrayList<>();
                List<Cell> withdrawn = new ArrayList<>();
                for (int s = 0; s < SCOPES.size(); s++) {
                    registered.add(cell(e.getValue()[s], threshold));
                    withdrawn.add(cell(e.getValue()[SCOPES.size() + s], threshold));
                }
                rows.add(new Row(e.getKey(), List.copyOf(registered), List.copyOf(withdrawn)));
            }
        }
        return new Table(threshold, SCOPES, List.copyOf(rows));
    }

    private static Cell cell(long n, int threshold) {
        return n > 0 && n < threshold ? new Cell(0, true) : new Cell(n, false);
    }

}
