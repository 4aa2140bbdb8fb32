package eu.ehds.rights.bench;

import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.projections.extract.ExtractFilter;
import eu.ehds.rights.projections.extract.FilterOutcome;
import eu.ehds.rights.projections.extract.PseudonymSet;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.postgresql.PGConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code filter}: extract filtering at national scale, beside PostgreSQL's anti-join on the same identifiers.
 * A synthetic population of {@code --population} persons (67 M) of whom about {@code --opt-outs} (4 M) opted out;
 * extract files of {@code --rows} identifiers are written under {@code --dir} once and reused (warm page cache).
 * With {@code --postgres=jdbc:postgresql://...}, the same keys are loaded as bigint and
 * {@code CREATE TABLE AS ... WHERE NOT EXISTS} is timed with JIT on and off.
 */
@Command(name = "filter", mixinStandardHelpOptions = true,
        description = "Extract filtering at national scale, beside PostgreSQL's anti-join on the same identifiers.")
final class FilterBenchmark implements Callable<Integer> {

    @Option(names = "--population", defaultValue = "67000000", description = "default: ${DEFAULT-VALUE}")
    private long population;

    @Option(names = "--opt-outs", defaultValue = "4000000", description = "default: ${DEFAULT-VALUE}")
    private long optOuts;

    @Option(names = "--rows", defaultValue = "12000000", description = "default: ${DEFAULT-VALUE}")
    private long rows;

    @Option(names = "--dir", defaultValue = "${sys:java.io.tmpdir}", description = "default: ${DEFAULT-VALUE}")
    private Path dir;

    @Option(names = "--postgres", description = "also time PostgreSQL at this JDBC URL")
    private String postgres;

    @Option(names = "--pg-user", defaultValue = "ledger")
    private String pgUser;

    @Option(names = "--pg-password", defaultValue = "ledger")
    private String pgPassword;

    @Option(names = "--ids", defaultValue = "pseudonyms", description = "pseudonyms or nirs")
    private String kind;

    @Option(names = "--consent", description = "filter for a consent project: the same set is the persons who "
            + "consented, the only ones delivered")
    private boolean consent;

    @Spec
    private CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() throws IOException, SQLException {
        out = spec.commandLine().getOut();
        if (!kind.equals("pseudonyms") && !kind.equals("nirs")) {
            out.println("filter: --ids is pseudonyms or nirs, not " + kind);
            return 2;
        }

        long started = System.nanoTime();
        PseudonymSet excluded = optedOut(population, optOuts, kind.equals("nirs"));
        out.printf("%s set: %,d persons, %.1f MB, built in %.2f s%n", consent ? "consent" : "opt-out", excluded.size(),
                excluded.footprintBytes() / 1e6, seconds(started));

        Files.createDirectories(dir);
        Path file = dir.resolve("bench-extract-" + kind + "-" + rows + "-of-" + population + ".txt");
        if (!Files.exists(file)) {
            long writing = System.nanoTime();
            writeExtract(file, rows, population, kind.equals("nirs"));
            out.printf("wrote %s (%,d rows, %.0f MB) in %.1f s%n", file, rows, Files.size(file) / 1e6, seconds(writing));
        }
        Pseudonymiser pseudonymiser = new Pseudonymiser(BENCH_KEY);
        ExtractFilter filter = consent ? ExtractFilter.onlyFor(excluded, pseudonymiser)
                : new ExtractFilter(excluded, pseudonymiser);
        Path output = dir.resolve("bench-filtered.txt");
        double best = Double.MAX_VALUE;
        double cpuOfBest = 0;
        FilterOutcome outcome = null;
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int run = 0; run < 3; run++) {
            long t = System.nanoTime();
            long cpu = os.getProcessCpuTime();
            try (InputStream in = Files.newInputStream(file);
                 OutputStream o = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
                outcome = filter.filter(in, o, (line, message) -> { }, null, null);
            }
            if (seconds(t) < best) {
                best = seconds(t);
                cpuOfBest = (os.getProcessCpuTime() - cpu) / 1e9;
            }
        }
        out.printf("ours: %,d rows -> %,d allowed, %,d excluded, %,d errors; best of 3: %.2f s (%.1f M rows/s), "
                + "%.2f s of CPU on %d cores%n", outcome.rows(), outcome.allowed(), outcome.excluded(), outcome.errors(),
                best, rows / best / 1e6, cpuOfBest, Runtime.getRuntime().availableProcessors());
        if (kind.equals("nirs")) {
            double hmac = rawHmacRate();
            out.printf("raw HMAC-SHA256 of NIRs, one core of this JVM: %.2f M/s; filter reached %.2f of it%n",
                    hmac / 1e6, rows / best / hmac);
        }
        if (postgres != null) {
            postgres(postgres, pgUser, pgPassword,
                    population, optOuts, rows, kind.equals("nirs"), best);
        }
        return 0;
    }

    // --- identifiers of the synthetic population (see SyntheticPopulation) ---

    /** A person's set key: of their pseudonym, or of the HMAC of their NIR when the extract holds NIRs. */
    private static long keyOf(long person, Pseudonymiser nirs) {
        return nirs == null ? SyntheticPopulation.mix(person)
                : PseudonymSet.key(nirs.pseudonymBytes(Nir.parse(nir(person))), 0);
    }

    static final byte[] BENCH_KEY = "bench-pseudonymisation-key-32byt".getBytes(StandardCharsets.US_ASCII);

    /** A valid NIR for person i (sex 1-2, year, month, department 01-95, commune, order, key). */
    static String nir(long i) {
        String body = String.format("%d%02d%02d%02d%03d%03d", 1 + (i & 1), (i >> 1) % 100, 1 + (i >> 8) % 12,
                1 + (i >> 12) % 95, (i >> 19) % 1000, 1 + (i >> 29) % 999);
        int key = 97 - new BigInteger(body).mod(BigInteger.valueOf(97)).intValue();
        return body + (key < 10 ? "0" : "") + key;
    }

    private PseudonymSet optedOut(long population, long optOuts, boolean nirs) {
        Pseudonymiser p = nirs ? new Pseudonymiser(BENCH_KEY) : null;
        long[] keys = new long[(int) (optOuts * 11 / 10)];
        int n = 0;
        for (long person = 0; person < population; person++) {
            if (SyntheticPopulation.isOptedOut(person, population, optOuts)) {
                if (n == keys.length) {
                    keys = java.util.Arrays.copyOf(keys, n * 2);
                }
                keys[n++] = keyOf(person, p);
            }
        }
        return PseudonymSet.of(java.util.Arrays.copyOf(keys, n));
    }

    /** Rows are persons spread over the whole population, so the opted-out share matches the population's. */
    private static long personOfRow(long row, long rows, long population) {
        return Long.remainderUnsigned(row * 0x9E3779B97F4A7C15L, population);
    }

    private static void writeExtract(Path file, long rows, long population, boolean nirs) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            for (long row = 0; row < rows; row++) {
                long person = personOfRow(row, rows, population);
                o.write((nirs ? nir(person) : SyntheticPopulation.pseudonym(person)).getBytes(StandardCharsets.US_ASCII));
                o.write('\n');
            }
        }
        Files.move(tmp, file);
    }

    private double rawHmacRate() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(BENCH_KEY, "HmacSHA256"));
            byte[][] inputs = new byte[1024][];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = nir(i).getBytes(StandardCharsets.US_ASCII);
            }
            long sink = 0;
            for (int i = 0; i < 2_000_000; i++) { // warm-up
                sink += mac.doFinal(inputs[i & 1023])[0];
            }
            int n = 5_000_000;
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += mac.doFinal(inputs[i & 1023])[0];
            }
            double rate = n / seconds(t);
            return sink == 42 ? rate + 1e-9 : rate;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- PostgreSQL's most favourable version of the same job: bigint keys, NOT EXISTS anti-join ---

    private void postgres(String url, String user, String password, long population, long optOuts, long rows,
                          boolean nirs, double ours) throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_optout, bench_cohort, bench_result");
            s.execute("CREATE UNLOGGED TABLE bench_optout (id bigint PRIMARY KEY)");
            s.execute("CREATE UNLOGGED TABLE bench_cohort (id bigint)");
            long loading = System.nanoTime();
            Pseudonymiser p = nirs ? new Pseudonymiser(BENCH_KEY) : null;
            copy(c, "COPY bench_optout FROM STDIN", population, person -> SyntheticPopulation.isOptedOut(person, population, optOuts)
                    ? Long.toString(keyOf(person, p)) : null);
            copy(c, "COPY bench_cohort FROM STDIN", rows, row -> {
                long person = personOfRow(row, rows, population);
                return Long.toString(keyOf(person, p));
            });
            s.execute("ANALYZE bench_optout");
            s.execute("ANALYZE bench_cohort");
            out.printf("PostgreSQL: loaded %,d opt-outs and %,d cohort rows in %.1f s (not counted)%n", optOuts, rows,
                    seconds(loading));
            double best = Double.MAX_VALUE;
            for (String jit : new String[] {"on", "off"}) {
                s.execute("SET jit = " + jit);
                s.execute("DROP TABLE IF EXISTS bench_result");
                long t = System.nanoTime();
                s.execute("CREATE UNLOGGED TABLE bench_result AS SELECT c.id FROM bench_cohort c "
                        + "WHERE NOT EXISTS (SELECT 1 FROM bench_optout o WHERE o.id = c.id)");
                double took = seconds(t);
                best = Math.min(best, took);
                out.printf("PostgreSQL NOT EXISTS writing its result, jit %s: %.2f s%n", jit, took);
            }
            out.printf("ours %.2f s vs PostgreSQL best %.2f s: %.1fx faster%n", ours, best, best / ours);
            s.execute("DROP TABLE IF EXISTS bench_optout, bench_cohort, bench_result");
        }
    }

    private interface RowSource {
        String row(long i);
    }

    private static void copy(Connection c, String sql, long count, RowSource source) throws SQLException, IOException {
        AtomicLong next = new AtomicLong();
        Reader reader = new Reader() {
            private String pending = "";
            private int offset;

            @Override
            public int read(char[] buf, int off, int len) {
                int written = 0;
                while (written < len) {
                    if (offset == pending.length()) {
                        String row = null;
                        while (row == null) {
                            long i = next.getAndIncrement();
                            if (i >= count) {
                                return written == 0 ? -1 : written;
                            }
                            row = source.row(i);
                        }
                        pending = row + "\n";
                        offset = 0;
                    }
                    int n = Math.min(len - written, pending.length() - offset);
                    pending.getChars(offset, offset + n, buf, off + written);
                    offset += n;
                    written += n;
                }
                return written;
            }

            @Override
            public void close() {
            }
        };
        c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, reader, 1 << 16);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
