package eu.ehds.rights.bench;

import eu.ehds.rights.ledger.anchoring.AnchoringPort;
import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.optout.OptOutRegistered;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.optout.RegisterOptOutCommand;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.ledger.store.LogAppendingStorageEngine;
import eu.ehds.rights.ledger.store.LogVerifier;
import eu.ehds.rights.ledger.store.StoredLeaves;
import eu.ehds.rights.portal.RightsPortalApplication;
import eu.ehds.rights.portal.anchoring.Anchorer;
import eu.ehds.rights.portal.cli.CommandRun;
import eu.ehds.rights.portal.ledger.GroupCommitter;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import eu.ehds.rights.portal.readmodel.ReadModelAdmin;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.IdentifierFactory;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The benchmarks, outside the production jar. Those that need the ledger start the application (without serving
 * HTTP) on the configured database, meant to be PostgreSQL:
 * {@code LEDGER_DATABASE_URL=jdbc:postgresql://127.0.0.1/ledger_bench java -jar benchmarks/target/benchmarks.jar append}.
 * They add events to the database they run on: point them at a database of their own. Options named like properties
 * ({@code --spring.…}, {@code --ledger.…}) configure that application.
 */
@Command(name = "java -jar benchmarks/target/benchmarks.jar", mixinStandardHelpOptions = true,
        description = "Benchmarks of the rights ledger; they print their figures.",
        subcommands = {FilterBenchmark.class, DecisionBenchmark.class})
public final class Benchmarks {

    @Spec
    private CommandSpec spec;

    private final CommandRun run;
    private ApplicationContext context;
    private PrintWriter out;

    private Benchmarks(CommandRun run) {
        this.run = run;
    }

    public static void main(String[] args) {
        RightsPortalApplication.quietAxon();
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream printed) {
        return CommandRun.execute(args, printed, Benchmarks::new);
    }

    /** The application on the configured database, and where to print. */
    private void start() {
        context = run.context();
        out = spec.commandLine().getOut();
    }

    @Command(name = "append", mixinStandardHelpOptions = true,
            description = "Durable append throughput, the ledger's beside plain JDBC inserts.")
    int append(@Option(names = "--count", defaultValue = "5000",
                       description = "opt-outs sent by the concurrent clients (one client alone sends a fifth)") int count,
               @Option(names = "--clients", defaultValue = "32", description = "concurrent clients") int clients,
               @Option(names = "--warmup", defaultValue = "20000",
                       description = "opt-outs sent by the concurrent clients before measuring") int warmup)
            throws SQLException, InterruptedException {
        start();
        return appendRates(count, clients, warmup);
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Write a registry of N rows (unless FILE exists), import it, time it and sample the decision "
                    + "read model against the file.")
    int importRegistry(@Option(names = "--rows", defaultValue = "4000000") int rows,
                       @Option(names = "--file", description = "default: /tmp/registry-N.csv") Path file,
                       @Option(names = "--sample", defaultValue = "10000") int sample,
                       @Option(names = "--bound", description = "then time PostgreSQL alone inserting as many rows")
                       boolean bound) throws Exception {
        start();
        return new ImportBenchmark(context, out).run(rows, file != null ? file : Path.of("/tmp/registry-" + rows + ".csv"),
                sample, bound);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Seed the log up to N events and time a full verification.")
    int verify(@Option(names = "--events", defaultValue = "1000000") long events) throws SQLException {
        start();
        return verifyTime(events);
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = "Seed the log up to N events and time a rebuild of the read models.")
    int rebuild(@Option(names = "--events", defaultValue = "1000000") long events,
                @Option(names = "--axon-read", arity = "0..1",
                        description = "also time a read through Axon's engine") boolean axonRead)
            throws SQLException, InterruptedException {
        start();
        return rebuildTime(events, axonRead);
    }

    @Command(name = "anchoring", mixinStandardHelpOptions = true, description = "Checkpoints anchored on Fabric.")
    int anchoring(@Option(names = "--checkpoints", defaultValue = "200") int checkpoints) throws InterruptedException {
        start();
        return anchoringRate(checkpoints);
    }

    @Command(name = "notifications", mixinStandardHelpOptions = true,
            description = "Significant findings reported and delivered.")
    int notifications(@Option(names = "--count", defaultValue = "1000") int count) throws InterruptedException {
        start();
        return new NotificationBenchmark(context, out).run(count);
    }

    /**
     * Opt-outs through the full command path (what an HTTP request runs once authenticated and parsed: idempotency key,
     * fingerprint, the group-commit writer), by one client and by {@code clients} at once, beside plain JDBC inserts;
     * first {@code warmup} opt-outs by the {@code clients}, unmeasured.
     */
    private int appendRates(int count, int clients, int warmup) throws SQLException, InterruptedException {
        LedgerCommands commands = context.getBean(LedgerCommands.class);
        DataSource dataSource = context.getBean(DataSource.class);
        out.printf("durable append on %s, %d events per measurement after %d to warm up%n", product(dataSource),
                count, warmup);
        long size = context.getBean(VerifiableLog.class).refresh();
        if (!context.getBean(ReadModelAdmin.class).awaitTreeSize(size, java.time.Duration.ofMinutes(30))) {
            out.println("the read models did not load within 30 minutes");
            return 1;
        }

        // warm-up: the JIT (with 2,000 it was still compiling the writer's path during the 32 clients' measurement),
        // the connection pool, statement caches
        if (warmup > 0) {
            concurrent(commands, warmup, clients);
        }
        Latencies one = concurrent(commands, Math.max(1, count / 5), 1);
        GroupCommitter writer = context.getBean(GroupCommitter.class);
        long batchesBefore = writer.batchesCommitted();
        long commandsBefore = writer.commandsCommitted();
        Latencies many = concurrent(commands, count, clients);
        double perCommit = (double) (writer.commandsCommitted() - commandsBefore)
                / Math.max(1, writer.batchesCommitted() - batchesBefore);

        createPlainTables(dataSource);
        byte[] payload = samplePayload();
        double plainSingle = rate(count, () -> plainInsert(dataSource, count, 1, payload, false));
        double plainBatched = rate(count, () -> plainInsert(dataSource, count, 100, payload, false));
        double plainAll = rate(count, () -> plainInsert(dataSource, count, 100, payload, true));

        out.println();
        out.println("ledger, full command path (opt-out, idempotency record, event, log leaf, one writer, durable commit)");
        out.printf("  1 client   %,8.0f opt-outs/s   latency p50 %5.1f ms  p99 %5.1f ms%n", one.rate(), one.p(0.50),
                one.p(0.99));
        out.printf("  %d clients %,8.0f opt-outs/s   latency p50 %5.1f ms  p99 %5.1f ms%n", clients, many.rate(),
                many.p(0.50), many.p(0.99));
        out.printf("               %,8.1f opt-outs per commit on average%n", perCommit);
        out.println("plain JDBC inserts of the same event rows into a copy of the event table");
        out.printf("  one per commit              %,8.0f rows/s%n", plainSingle);
        out.printf("  100 per commit (batched)    %,8.0f rows/s%n", plainBatched);
        out.printf("  100 per commit, with a leaf row and an idempotency row each %,8.0f events/s%n", plainAll);
        out.printf("%d clients / plain batched: %.2fx (event rows alone), %.2fx (with leaf and idempotency rows: "
                + "every row the ledger writes)%n", clients, many.rate() / plainBatched, many.rate() / plainAll);
        return 0;
    }

    /** Throughput and latencies of {@code count} opt-outs sent by {@code clients} threads in a closed loop. */
    private static Latencies concurrent(LedgerCommands commands, int count, int clients) throws InterruptedException {
        long[] nanos = new long[count];
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            Thread thread = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    String person = anyPerson();
                    String key = "bench-" + UUID.randomUUID();
                    long t0 = System.nanoTime();
                    commands.submit("opt-outs/register", List.of(person, "GLOBAL"), key,
                            () -> new RegisterOptOutCommand(person, OptOutScope.global(), Channel.POST, "bench",
                                    Instant.now(), key));
                    nanos[i] = System.nanoTime() - t0;
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        java.util.Arrays.sort(nanos);
        return new Latencies(count / seconds, nanos);
    }

    private record Latencies(double rate, long[] sortedNanos) {
        double p(double quantile) {
            return sortedNanos[(int) Math.min(sortedNanos.length - 1, Math.ceil(quantile * sortedNanos.length) - 1)]
                    / 1e6;
        }
    }

    private int verifyTime(long events) throws SQLException {
        seed(events);
        long issuing = System.nanoTime();
        VerifiableLog.SignedCheckpoint checkpoint = context.getBean(VerifiableLog.class).checkpoint();
        out.printf("checkpoint at tree size %d issued in %.2f s (tree built from the stored leaf hashes)%n",
                checkpoint.treeSize(), (System.nanoTime() - issuing) / 1e9);
        LogVerifier verifier = context.getBean(LogVerifier.class);
        long started = System.nanoTime();
        LogVerifier.Report report = verifier.verify();
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("verified %d leaves and %d checkpoints in %.2f s (%.0f leaves/s): %s%n", report.treeSize(),
                report.checkpointsChecked(), seconds, report.treeSize() / seconds, report.ok() ? "OK" : "FAILED");
        return report.ok() ? 0 : 1;
    }

    /**
     * Seeds the log up to N events, then times a rebuild of the in-memory read models from the event store; with
     * {@code --axon-read=true}, also times reading the same events through Axon's engine, for comparison.
     */
    private int rebuildTime(long events, boolean axonRead) throws SQLException {
        seed(events);
        long size = context.getBean(VerifiableLog.class).refresh();
        if (axonRead) {
            long reading = System.nanoTime();
            long read;
            try (var stream = context.getBean(EventStorageEngine.class).readEvents(null, false)) {
                read = stream.mapToLong(e -> e.getPayload() == null ? 0 : 1).sum();
            }
            out.printf("reading and deserialising the %,d events through Axon's engine: %.1f s%n", read,
                    (System.nanoTime() - reading) / 1e9);
        }
        ReadModelAdmin admin = context.getBean(ReadModelAdmin.class);
        long started;
        try {
            long loading = System.nanoTime();
            if (!admin.awaitTreeSize(size, java.time.Duration.ofMinutes(30))) { // the load at start-up
                out.println("the read model did not load within 30 minutes");
                return 1;
            }
            out.printf("start-up load finished %.1f s after the benchmark began waiting%n",
                    (System.nanoTime() - loading) / 1e9);
            started = System.nanoTime();
            admin.rebuild();
            if (!admin.awaitTreeSize(size, java.time.Duration.ofMinutes(30))) {
                out.println("the read model did not catch up within 30 minutes");
                return 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("decision read model rebuilt from %,d events in %.1f s (%.0f events/s)%n", size, seconds,
                size / seconds);
        return 0;
    }

    private void seed(long events) throws SQLException {
        EventStorageEngine engine = context.getBean(EventStorageEngine.class);
        TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
        long present = context.getBean(StoredLeaves.class).countEvents();
        long missing = Math.max(0, events - present);
        out.printf("%s: %d events present, seeding up to %d%n", product(context.getBean(DataSource.class)), present,
                events);
        double seeded = rate(missing, () -> {
            for (long done = 0; done < missing; done += 1_000) {
                int n = (int) Math.min(1_000, missing - done);
                tx.executeWithoutResult(s -> engine.appendEvents(seedEvents(n)));
            }
        });
        if (missing > 0) {
            out.printf("seeded %d events at %.0f events/s (1,000 per transaction)%n", missing, seeded);
        }
    }

    private static List<DomainEventMessage<?>> seedEvents(int n) {
        List<DomainEventMessage<?>> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String person = anyPerson();
            batch.add(new GenericDomainEventMessage<>("PersonRights", person, 0,
                    new OptOutRegistered(person, OptOutScope.global(), Channel.POST, "bench", Instant.now())));
        }
        return batch;
    }

    /**
     * Anchoring latency on the configured Fabric network: for each checkpoint, one opt-out is committed, then the
     * anchorer anchors the new checkpoint and records it; the time from the event's commit to the anchor's
     * committed block (and its record in the ledger) is measured. Run with {@code --ledger.anchoring.events=1
     * --ledger.anchoring.poll=1h} so that the background thread stays out of the way.
     */
    private int anchoringRate(int checkpoints) {
        Anchorer anchorer = context.getBeanProvider(Anchorer.class).getIfAvailable();
        if (anchorer == null) {
            out.println("bench anchoring needs LEDGER_ANCHORING_FABRIC_CONNECTION (written by fabric-network/network.sh up)");
            return 2;
        }
        CommandGateway gateway = context.getBean(CommandGateway.class);
        VerifiableLog log = context.getBean(VerifiableLog.class);
        anchorer.tick(); // registers the origin or resumes from the chain
        long[] nanos = new long[checkpoints];
        long started = System.nanoTime();
        for (int i = 0; i < checkpoints; i++) {
            gateway.sendAndWait(optOut());
            long size = log.refresh();
            long t0 = System.nanoTime();
            anchorer.tick();
            nanos[i] = System.nanoTime() - t0;
            long anchored = anchorer.latestAnchor().map(AnchoringPort.Anchor::treeSize).orElse(0L);
            if (anchored < size) {
                out.println("checkpoint " + i + " at tree size " + size + " was not anchored: " + anchorer.status().problem());
                return 1;
            }
        }
        double total = (System.nanoTime() - started) / 1e9;
        java.util.Arrays.sort(nanos);
        out.printf("anchoring on %s: %d checkpoints in %.1f s; event committed -> anchor committed and recorded:"
                        + " p50 %.0f ms, p95 %.0f ms, max %.0f ms%n", anchorer.status().network(), checkpoints, total,
                nanos[checkpoints / 2] / 1e6, nanos[(int) Math.ceil(checkpoints * 0.95) - 1] / 1e6,
                nanos[checkpoints - 1] / 1e6);
        return 0;
    }

    private static Object optOut() {
        String key = "bench-" + UUID.randomUUID();
        return GenericCommandMessage.asCommandMessage(new RegisterOptOutCommand(anyPerson(), OptOutScope.global(),
                        Channel.POST, "bench", Instant.now(), key))
                .andMetaData(Map.of(LogAppendingStorageEngine.IDEMPOTENCY_KEY, key,
                        LogAppendingStorageEngine.REQUEST_HASH, "0".repeat(64)));
    }

    private static String anyPerson() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static byte[] samplePayload() {
        return ("{\"person\":\"" + anyPerson() + "\",\"scope\":{\"type\":\"GLOBAL\",\"value\":null},"
                + "\"channel\":\"POST\",\"recordedBy\":\"bench\",\"registeredAt\":\"2026-11-23T00:00:00.123456Z\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private void createPlainTables(DataSource dataSource) throws SQLException {
        boolean postgres = product(dataSource).startsWith("PostgreSQL");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("domain_event_entry", "log_leaf", "idempotency_record")) {
                s.execute("DROP TABLE IF EXISTS bench_plain_" + table);
                s.execute(postgres ? "CREATE TABLE bench_plain_" + table + " (LIKE " + table + " INCLUDING ALL)"
                        : "CREATE TABLE bench_plain_" + table + " AS SELECT * FROM " + table + " WITH NO DATA");
            }
            if (postgres) { // its own sequence: taking the ledger's would leave gaps its readers must track
                s.execute("CREATE SEQUENCE IF NOT EXISTS bench_plain_global_index");
                s.execute("ALTER TABLE bench_plain_domain_event_entry ALTER COLUMN global_index SET DEFAULT "
                        + "nextval('bench_plain_global_index')");
            }
        }
    }

    /**
     * Inserts rows shaped like Axon's, {@code perCommit} rows per transaction, as one batch; with {@code withLog}, also
     * a leaf row and an idempotency row per event, as the ledger writes.
     */
    private static void plainInsert(DataSource dataSource, int count, int perCommit, byte[] payload, boolean withLog) {
        long leaf = withLog ? System.nanoTime() : 0; // distinct from an earlier run's indexes
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_plain_domain_event_entry ("
                    + "event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type, "
                    + "payload_revision, payload, meta_data) VALUES (?, ?, 0, 'PersonRights', ?, 'OptOutRegistered', "
                    + "'1', ?, ?)");
                 PreparedStatement leaves = c.prepareStatement("INSERT INTO bench_plain_log_leaf (leaf_index, "
                         + "event_identifier, leaf_hash) VALUES (?, ?, ?)");
                 PreparedStatement requests = c.prepareStatement("INSERT INTO bench_plain_idempotency_record ("
                         + "idempotency_key, request_hash, aggregate_id, first_leaf, last_leaf) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < count; i += perCommit) {
                    for (int j = 0; j < perCommit; j++) {
                        String id = IdentifierFactory.getInstance().generateIdentifier(); // as the ledger's events
                        String person = anyPerson();
                        insert.setString(1, id);
                        insert.setString(2, person);
                        insert.setString(3, Instant.now().toString());
                        insert.setBytes(4, payload);
                        insert.setBytes(5, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        insert.addBatch();
                        if (withLog) {
                            leaves.setLong(1, leaf);
                            leaves.setString(2, id);
                            leaves.setBytes(3, new byte[32]);
                            leaves.addBatch();
                            requests.setString(1, "bench-" + UUID.randomUUID()); // random, as the ledger runs' keys
                            requests.setString(2, "0".repeat(64));
                            requests.setString(3, person);
                            requests.setLong(4, leaf);
                            requests.setLong(5, leaf++);
                            requests.addBatch();
                        }
                    }
                    insert.executeBatch();
                    if (withLog) {
                        leaves.executeBatch();
                        requests.executeBatch();
                    }
                    c.commit();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String product(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
        }
    }

    private static double rate(long count, Runnable work) {
        long started = System.nanoTime();
        work.run();
        return count / ((System.nanoTime() - started) / 1e9);
    }
}
