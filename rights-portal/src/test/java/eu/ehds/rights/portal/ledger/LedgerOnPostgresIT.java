package eu.ehds.rights.portal.ledger;

import eu.ehds.rights.portal.support.EmbeddedLedger;
import eu.ehds.rights.portal.support.PostgresHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same ledger suite on a real PostgreSQL server (started by the harness or by .ci/test). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LedgerOnPostgresIT extends LedgerApiContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        PostgresHarness.Database db = PostgresHarness.newDatabase();
        Path dataDir = Files.createTempDirectory("ledger-pg-it-");
        registry.add("ledger.data-dir", dataDir::toString);
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
        EmbeddedLedger.staff(registry);
    }

    @org.springframework.beans.factory.annotation.Autowired
    javax.sql.DataSource dataSource;

    /** A stuck transaction must not stall every writer: each connection has a lock and an idle-transaction limit. */
    @org.junit.jupiter.api.Test
    void every_connection_waits_for_a_lock_at_most_five_seconds_and_ends_a_transaction_idle_for_ten_seconds()
            throws Exception {
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            try (java.sql.ResultSet rs = s.executeQuery("SHOW lock_timeout")) {
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getString(1)).isEqualTo("5s");
            }
            try (java.sql.ResultSet rs = s.executeQuery("SHOW idle_in_transaction_session_timeout")) {
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getString(1)).isEqualTo("10s");
            }
        }
    }

    /**
     * A writer that cannot get the log's lock within the lock timeout (another node froze holding it) is answered 503
     * with Retry-After, not 500, and the same request sent again once the lock is free is recorded once.
     */
    @org.junit.jupiter.api.Test
    void a_write_that_waits_too_long_for_the_logs_lock_is_answered_503_and_recorded_when_sent_again()
            throws Exception {
        String body = optOutBody(eu.ehds.rights.portal.support.Nirs.anyNir(), "GLOBAL", null, key());
        try (java.sql.Connection frozen = dataSource.getConnection(); java.sql.Statement s = frozen.createStatement()) {
            frozen.setAutoCommit(false);
            s.execute("SET LOCAL lock_timeout = 0");
            s.executeQuery("SELECT tree_size FROM log_head FOR UPDATE").close(); // held, as by a frozen node

            eu.ehds.rights.portal.support.Api.Response refused = api.postAsAdmin("/api/v1/opt-outs", body);
            org.assertj.core.api.Assertions.assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            org.assertj.core.api.Assertions.assertThat(refused.header("Retry-After")).isNotNull();
            org.assertj.core.api.Assertions.assertThat(refused.body()).contains("busy");
            frozen.rollback();
        }
        eu.ehds.rights.portal.support.Api.Response recorded = api.postAsAdmin("/api/v1/opt-outs", body);
        org.assertj.core.api.Assertions.assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
        org.assertj.core.api.Assertions.assertThat(api.postAsAdmin("/api/v1/opt-outs", body).header(
                "Idempotent-Replayed")).isEqualTo("true");
    }
    @org.springframework.beans.factory.annotation.Autowired
    org.axonframework.eventsourcing.eventstore.EventStorageEngine engine;

    @org.springframework.beans.factory.annotation.Autowired
    org.axonframework.common.transaction.TransactionManager axonTransactions;

    @org.springframework.beans.factory.annotation.Autowired
    org.axonframework.commandhandling.gateway.CommandGateway gateway;

    /**
     * A batch that read the log without its lock (a registry import's, written beside another) appends nothing when,
     * holding the lock at last, it finds that another writer appended since its reads: it is outdated (here the person
     * opted out meanwhile, and the batch, from what it had read, records an opt-out of its own).
     */
    @org.junit.jupiter.api.Test
    void a_batch_that_read_without_the_lock_appends_nothing_if_another_writer_appended_since() throws Exception {
        // given a person without an opt-out, and a batch that read her record without the log's lock
        String person = pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(
                eu.ehds.rights.portal.support.Nirs.anyNir()));
        var global = eu.ehds.rights.ledger.api.optout.OptOutScope.global();
        var unit = org.axonframework.messaging.unitofwork.DefaultUnitOfWork.startAndGet(
                new org.axonframework.messaging.GenericMessage<>("test batch"));
        unit.attachTransaction(axonTransactions);
        long[] sizeAfterOther = new long[1];
        org.axonframework.messaging.ResultMessage<?> result = unit.executeWithResult(() -> {
            ((eu.ehds.rights.ledger.store.LogAppendingStorageEngine) engine).readLog(List.of(), List.of(person),
                    new eu.ehds.rights.ledger.store.DisjointBatches());
            // when another writer records her opt-out before the batch takes the lock
            java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                org.assertj.core.api.Assertions.assertThat(other.submit(() -> ledgerCommands.submitAll(List.of(
                        register(person, global, Instant.now())))).get().get(0).refusal()).isNull();
            } finally {
                other.shutdown();
            }
            sizeAfterOther[0] = treeSize();
            // and the batch records one too, from what it had read
            gateway.sendAndWait(new eu.ehds.rights.ledger.api.optout.RegisterOptOutCommand(person, global,
                    eu.ehds.rights.ledger.api.common.Channel.POST, "it", Instant.now(), key()));
            return null;
        });

        // then the batch is found outdated and appends nothing: she has the other writer's opt-out alone
        org.assertj.core.api.Assertions.assertThat(result.isExceptional()).isTrue();
        org.assertj.core.api.Assertions.assertThat(result.exceptionResult())
                .isInstanceOf(eu.ehds.rights.ledger.store.LogAppendingStorageEngine.OutdatedReads.class);
        org.assertj.core.api.Assertions.assertThat(treeSize()).isEqualTo(sizeAfterOther[0]);
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement q = c.prepareStatement(
                "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?")) {
            q.setString(1, person);
            try (java.sql.ResultSet rs = q.executeQuery()) {
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
    }

    /**
     * A live write and an import's batch for the same person, each waiting for what the other holds: the node's writer
     * holds the log's lock and waits for her record, which the batch (having run its command without the lock) keeps
     * until it has appended, while the batch waits for the lock. The batch gives up at the lock timeout, is written
     * again after the live write, and both are recorded, once each, in that order.
     */
    @org.junit.jupiter.api.Test
    void a_live_write_and_an_import_batch_waiting_on_each_other_are_both_recorded_the_batch_after() throws Exception {
        // given a person, an import's path already run once (so that it is quick below, well within the lock timeout)
        String nir = eu.ehds.rights.portal.support.Nirs.anyNir();
        String person = pseudonymiser.pseudonymise(eu.ehds.rights.ledger.identity.Nir.parse(nir));
        var statistics = eu.ehds.rights.ledger.api.optout.OptOutScope.purpose(
                eu.ehds.rights.ledger.api.project.PurposeCategory.STATISTICS);
        org.assertj.core.api.Assertions.assertThat(ledgerCommands.submitAll(List.of(register(pseudonymiser.pseudonymise(
                eu.ehds.rights.ledger.identity.Nir.parse(eu.ehds.rights.portal.support.Nirs.anyNir())), statistics,
                Instant.now())), new eu.ehds.rights.ledger.store.DisjointBatches()).get(0).refusal()).isNull();
        // and the log's lock held for a moment (as by another node)
        long before = treeSize();
        long writtenAgain = groupCommitter.batchesWrittenAgain();
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<eu.ehds.rights.portal.support.Api.Response> live;
            java.util.concurrent.Future<List<LedgerCommands.Answer>> imported;
            long waitingFrom;
            try (java.sql.Connection other = dataSource.getConnection(); java.sql.Statement s = other.createStatement()) {
                other.setAutoCommit(false);
                s.execute("SET LOCAL lock_timeout = 0");
                s.executeQuery("SELECT tree_size FROM log_head FOR UPDATE").close();
                // when her opt-out reaches the node's writer, which waits for the lock first
                live = callers.submit(() -> api.postAsAdmin("/api/v1/opt-outs", optOutBody(nir, "GLOBAL", null,
                        key())));
                awaitLockWaiters(1);
                // and an import's batch runs her purpose opt-out without the lock, then waits for it, second
                imported = callers.submit(() -> ledgerCommands.submitAll(List.of(register(person, statistics,
                        Instant.now())), new eu.ehds.rights.ledger.store.DisjointBatches()));
                awaitLockWaiters(2);
                waitingFrom = System.nanoTime();
                other.rollback(); // the writer takes the lock and waits for her record, which the batch holds
            }

            // then the live write waits until the batch gives up at the lock timeout (5 s; not an outdated batch
            // written again at once), and both are recorded: the live one first, the batch written again after it
            eu.ehds.rights.portal.support.Api.Response liveAnswer = live.get(60, java.util.concurrent.TimeUnit.SECONDS);
            org.assertj.core.api.Assertions.assertThat(System.nanoTime() - waitingFrom)
                    .isGreaterThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(4));
            org.assertj.core.api.Assertions.assertThat(liveAnswer.status()).as(liveAnswer.body()).isEqualTo(201);
            LedgerCommands.Answer batchAnswer = imported.get(60, java.util.concurrent.TimeUnit.SECONDS).get(0);
            org.assertj.core.api.Assertions.assertThat(batchAnswer.refusal()).isNull();
            org.assertj.core.api.Assertions.assertThat(groupCommitter.batchesWrittenAgain()).isEqualTo(writtenAgain + 1);
            org.assertj.core.api.Assertions.assertThat(liveAnswer.json().get("leafIndex").asLong()).isEqualTo(before);
            org.assertj.core.api.Assertions.assertThat(batchAnswer.receipt().leafIndex()).isEqualTo(before + 1);
            org.assertj.core.api.Assertions.assertThat(treeSize()).isEqualTo(before + 2);
        } finally {
            callers.shutdownNow();
        }
    }

    /** Waits until {@code count} connections wait for the log's lock. */
    private void awaitLockWaiters(int count) throws Exception {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(4);
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement q = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
                        + "AND query LIKE '%FROM log_head%FOR UPDATE%'")) {
            while (true) {
                try (java.sql.ResultSet rs = q.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) >= count) {
                        return;
                    }
                }
                if (System.nanoTime() > until) {
                    throw new AssertionError("fewer than " + count + " connections waited for the log's lock");
                }
                eu.ehds.rights.portal.support.Pause.millis(10);
            }
        }
    }
}
