package eu.ehds.rights.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.readmodel.ReadModelAdmin;
import eu.ehds.rights.portal.registryimport.RegistryImport;
import eu.ehds.rights.projections.decision.DecisionProjection;
import eu.ehds.rights.projections.decision.OptOutPeriod;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.springframework.context.ApplicationContext;

/**
 * The registry import at scale: a synthetic registry (row i: a NIR made from i, a global opt-out or, one row in ten, a
 * purpose's, registered on one of 1,500 days from 2021, one in twenty withdrawn 30 days later), imported through the
 * same service as the command line's; then the decision read model is compared with the file on a random sample.
 */
final class ImportBenchmark {

    private static final String[] PURPOSES = {"SCIENTIFIC_RESEARCH", "PUBLIC_HEALTH", "POLICY_MAKING"};
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final ApplicationContext context;
    private final PrintWriter out;

    ImportBenchmark(ApplicationContext context, PrintWriter out) {
        this.context = context;
        this.out = out;
    }

    int run(int rows, Path file, int sample, boolean bound) throws Exception {
        if (!Files.exists(file)) {
            long writing = System.nanoTime();
            try (Writer w = new BufferedWriter(Files.newBufferedWriter(file), 1 << 16)) {
                w.write("nir,scope,registered_at,channel,withdrawn_at\n");
                for (int i = 0; i < rows; i++) {
                    w.write(line(i));
                }
            }
            out.printf("wrote %,d rows to %s (%,d MB) in %.1f s%n", rows, file, Files.size(file) >> 20,
                    (System.nanoTime() - writing) / 1e9);
        }
        long started = System.nanoTime();
        ObjectNode report;
        try (InputStream in = Files.newInputStream(file)) {
            report = context.getBean(RegistryImport.class).run(in, file.getFileName().toString(), "bench", Writer.nullWriter(),
                    bytes -> { });
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long events = report.get("eventsRecorded").asLong();
        out.printf("imported %,d rows in %.1f s (%,.0f rows/s): %,d events recorded (%,.0f events/s), %,d already "
                        + "recorded, %,d refused; leaves %s to %s; in a heap of at most %,d MB%n", rows, seconds,
                rows / seconds, events, events / seconds, report.get("alreadyRecorded").asLong(),
                report.get("rowsRefused").asLong(), report.get("firstLeaf"), report.get("lastLeaf"),
                Runtime.getRuntime().maxMemory() >> 20);

        long size = report.get("treeSize").asLong();
        if (!context.getBean(ReadModelAdmin.class).awaitTreeSize(size, Duration.ofMinutes(30))) {
            out.println("the read model did not catch up within 30 minutes");
            return 1;
        }
        DecisionProjection decisions = context.getBean(DecisionProjection.class);
        Pseudonymiser pseudonymiser = context.getBean(Pseudonymiser.class);
        SplittableRandom random = new SplittableRandom(17);
        int agreeing = 0;
        for (int s = 0; s < sample; s++) {
            int i = random.nextInt(rows);
            String person = pseudonymiser.pseudonymise(Nir.parse(nir(i)));
            List<OptOutPeriod> periods = decisions.optOuts(person, size);
            if (periods.contains(new OptOutPeriod(scope(i), registered(i), withdrawn(i)))) {
                agreeing++;
            }
        }
        out.printf("decision read model: %,d of %,d sampled rows agree with the file%n", agreeing, sample);
        if (bound) {
            if (events > 0) {
                boundOfPostgres(events);
            } else {
                out.println("--bound: the import recorded no event, nothing to compare");
            }
        }
        return agreeing == sample ? 0 : 1;
    }

    /** Rows inserted per statement and commit by {@link #boundOfPostgres}. */
    private static final int BOUND_BATCH = 50_000;

    /**
     * What PostgreSQL alone takes to insert as many event, leaf and idempotency rows as the import recorded, into copies
     * of the three tables with their indexes, in the same database, {@value #BOUND_BATCH} rows per statement and commit:
     * rows as wide as the import's (each event carries the payload and metadata of the import's last event), a
     * time-ordered identifier per event like the ledger's, a random aggregate and idempotency key each. The rows' values
     * are made (in a temporary table) before the clock starts, so only the inserts are timed; the copies are dropped.
     */
    private void boundOfPostgres(long events) throws SQLException {
        String[] tables = {"domain_event_entry", "log_leaf", "idempotency_record"};
        try (Connection c = context.getBean(DataSource.class).getConnection(); Statement s = c.createStatement()) {
            if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
                out.println("--bound needs PostgreSQL: skipped");
                return;
            }
            try {
                for (String table : tables) {
                    s.execute("DROP TABLE IF EXISTS bound_" + table);
                    s.execute("CREATE TABLE bound_" + table + " (LIKE " + table
                            + " INCLUDING DEFAULTS INCLUDING INDEXES INCLUDING CONSTRAINTS)");
                }
                s.execute("CREATE TEMPORARY TABLE bound_rows AS SELECT i, event_id, aggregate_id, "
                        + "sha256(convert_to(event_id, 'UTF8')) AS leaf_hash, "
                        + "'bound:' || md5(event_id) || left(md5(aggregate_id), 18) AS idempotency_key, "
                        + "encode(sha256(convert_to(aggregate_id, 'UTF8')), 'hex') AS request_hash "
                        + "FROM (SELECT i, regexp_replace(lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)"
                        + "::bigint), 12, '0'), '(.{8})(.{4})', '\\1-\\2-') || '7' "
                        + "|| substr(gen_random_uuid()::text, 16) AS event_id, md5(i || ':' || random()) AS aggregate_id "
                        + "FROM generate_series(0, " + (events - 1) + ") i) made");
                s.execute("CREATE INDEX ON bound_rows (i)");
                s.execute("ANALYZE bound_rows");
                c.setAutoCommit(false);
                long started = System.nanoTime();
                try (PreparedStatement eventRows = c.prepareStatement("INSERT INTO bound_domain_event_entry ("
                        + "global_index, event_identifier, aggregate_identifier, sequence_number, type, time_stamp, "
                        + "payload_type, payload_revision, payload, meta_data) SELECT b.i, b.event_id, b.aggregate_id, "
                        + "0, e.type, e.time_stamp, e.payload_type, e.payload_revision, e.payload, e.meta_data "
                        + "FROM bound_rows b, (SELECT * FROM domain_event_entry ORDER BY global_index DESC "
                        + "FETCH FIRST 1 ROWS ONLY) e WHERE b.i >= ? AND b.i < ? ORDER BY b.i");
                     PreparedStatement leafRows = c.prepareStatement("INSERT INTO bound_log_leaf SELECT i, event_id, "
                             + "leaf_hash FROM bound_rows WHERE i >= ? AND i < ? ORDER BY i");
                     PreparedStatement keyRows = c.prepareStatement("INSERT INTO bound_idempotency_record ("
                             + "idempotency_key, request_hash, aggregate_id, first_leaf, last_leaf) SELECT "
                             + "idempotency_key, request_hash, aggregate_id, i, i FROM bound_rows "
                             + "WHERE i >= ? AND i < ? ORDER BY i")) {
                    for (long first = 0; first < events; first += BOUND_BATCH) {
                        for (PreparedStatement insert : List.of(eventRows, leafRows, keyRows)) {
                            insert.setLong(1, first);
                            insert.setLong(2, first + BOUND_BATCH);
                            insert.executeUpdate();
                        }
                        c.commit();
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                out.printf("PostgreSQL alone, the same number of event, leaf and idempotency rows, %,d per statement "
                        + "and commit, into copies of the tables: %,d events in %.1f s (%,.0f events/s)%n",
                        BOUND_BATCH, events, seconds, events / seconds);
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
                s.execute("DROP TABLE IF EXISTS bound_rows");
                for (String table : tables) {
                    s.execute("DROP TABLE IF EXISTS bound_" + table);
                }
            }
        }
    }

    private static String line(int i) {
        Instant withdrawn = withdrawn(i);
        return nir(i) + "," + scope(i) + "," + LocalDate.ofInstant(registered(i), PARIS) + ",POST,"
                + (withdrawn == null ? "" : LocalDate.ofInstant(withdrawn, PARIS)) + "\n";
    }

    /** A valid NIR for each i (department 99, born abroad; distinct up to 1.2 billion). */
    static String nir(long n) {
        String body = String.format("1%02d%02d99%03d%03d", n % 100, 1 + (n / 100) % 12, (n / 1200) % 1000,
                (n / 1_200_000) % 1000 + 1);
        int key = 97 - new BigInteger(body).mod(BigInteger.valueOf(97)).intValue();
        return body + String.format("%02d", key);
    }

    private static OptOutScope scope(int i) {
        return i % 10 == 9 ? new OptOutScope(OptOutScope.Type.PURPOSE, PURPOSES[(i / 10) % PURPOSES.length])
                : OptOutScope.global();
    }

    private static LocalDate registeredOn(int i) {
        return LocalDate.of(2021, 1, 1).plusDays(Math.floorMod(SyntheticPopulation.mix(i), 1_500L));
    }

    private static Instant registered(int i) {
        return registeredOn(i).atStartOfDay(PARIS).toInstant();
    }

    private static Instant withdrawn(int i) {
        return i % 20 == 7 ? registeredOn(i).plusDays(30).atStartOfDay(PARIS).toInstant() : null;
    }
}
