package eu.ehds.rights.portal.ledger;

import eu.ehds.rights.ledger.CommandTargets;
import eu.ehds.rights.ledger.log.IdempotencyRecord;
import eu.ehds.rights.ledger.store.DisjointBatches;
import eu.ehds.rights.ledger.store.LogAppendingStorageEngine;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Group commit: commands that arrive together are written together by one writer thread, in one transaction.
 *
 * <p>For each batch the writer takes the log's lock, reads the idempotency records of the batch's keys and the stored
 * events of its aggregates (one query each), runs each command in a unit of work nested in the batch's (so it is
 * validated against its aggregate's state, earlier commands of the batch included), appends every event, leaf and
 * idempotency record at once, commits once, and only then answers each caller. A command its aggregate refuses is
 * answered with its own refusal once the others are committed; the commands after it for the same aggregate go to the
 * next batch, as do those after a command whose key was already used for another request (its caller refuses it). A
 * failure of the batch itself fails its commands (refused ones included): one caused by the database (down, lock not
 * granted within the lock timeout) is answered as an outage and the callers send again with their keys; any other is
 * isolated by writing each of the batch's commands alone.
 *
 * <p>The lock is taken before the aggregates are read, so no other writer (on this node or another) can append between
 * the validation and the commit: there are no concurrency conflicts to retry (but for the batches of a registry import
 * on PostgreSQL, which read first and are written again when outdated: {@link #writeAll(List, List, DisjointBatches)}).
 */
public final class GroupCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    /** What the writer answers a command: the record of its key, and whether that record was already there. */
    public record Written(IdempotencyRecord record, boolean replayed) {
    }

    private record Pending(CommandMessage<?> command, String idempotencyKey, String target,
                           CompletableFuture<Written> answer) {
        /** Its aggregate resolved by the caller's thread, not the writer's. */
        static Pending of(CommandMessage<?> command, String idempotencyKey) {
            return new Pending(command, idempotencyKey, CommandTargets.target(command.getPayload()),
                    new CompletableFuture<>());
        }

        /** Whether the record kept for its key is of another request (its caller refuses it: a conflict). */
        boolean conflictsWith(IdempotencyRecord earlier) {
            return !earlier.requestHash().equals(
                    String.valueOf(command.getMetaData().get(LogAppendingStorageEngine.REQUEST_HASH)));
        }
    }

    private final CommandGateway gateway;
    private final TransactionManager transactions;
    private final LogAppendingStorageEngine engine;
    private final int maxBatch;
    private final Duration answerWithin;
    private final BlockingQueue<Pending> queue;
    private final ArrayDeque<Pending> deferred = new ArrayDeque<>(); // writer thread only
    private final Thread writer;
    private volatile boolean closed;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong writtenAgain = new AtomicLong();

    public GroupCommitter(CommandGateway gateway, TransactionManager transactions,
                          LogAppendingStorageEngine engine, int maxBatch, int queueCapacity, Duration answerWithin) {
        this.gateway = gateway;
        this.transactions = transactions;
        this.engine = engine;
        this.maxBatch = maxBatch;
        this.answerWithin = answerWithin;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = new Thread(this::run, "ledger-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Writes a command (its metadata carrying {@code idempotencyKey}) and waits until it is committed, or answers the
     * record already kept for its key. Throws the aggregate's refusal, or an outage when the batch could not be
     * written, the queue is full or no answer came in time (the caller sends again with the same key).
     */
    public Written write(CommandMessage<?> command, String idempotencyKey) {
        Pending pending = Pending.of(command, idempotencyKey);
        if (closed || !queue.offer(pending)) {
            throw new DataAccessResourceFailureException(closed ? "the ledger is stopping"
                    : "the ledger's write queue is full");
        }
        try {
            return pending.answer().get(answerWithin.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new DataAccessResourceFailureException("the ledger did not commit within " + answerWithin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataAccessResourceFailureException("interrupted while waiting for the ledger");
        }
    }

    /** Answers a command skipped because an earlier command of its batch for the same aggregate was refused. */
    public static final class Skipped extends RuntimeException {
        Skipped() {
            super("skipped: an earlier command of the batch for the same record was refused", null, false, false);
        }
    }

    /**
     * Writes these commands (distinct keys) as one batch on the calling thread, in a transaction of its own, and
     * answers each: written, found already written, or refused (a bulk import; the writer thread goes on meanwhile,
     * the log's lock ordering the two). A command after a refused one for the same aggregate (or after one whose key
     * was used for another request) is answered {@link Skipped}, even if its own key is recorded (an import's
     * withdrawal must not follow a refused registration), not written later.
     */
    public List<CompletableFuture<Written>> writeAll(List<CommandMessage<?>> commands, List<String> idempotencyKeys) {
        return writeAll(commands, idempotencyKeys, null);
    }

    /**
     * {@link #writeAll(List, List)} for a batch written at the same time as other batches of {@code beside}, none of
     * them touching this one's aggregates or keys (the caller sees to it): where the database allows it
     * ({@link #writesBesideOthers}), the batch reads and runs its commands without the log's lock, which it takes only
     * to append; if anything but those batches was appended meanwhile, or if it fails otherwise, it is written again,
     * this time taking the lock first.
     */
    public List<CompletableFuture<Written>> writeAll(List<CommandMessage<?>> commands, List<String> idempotencyKeys,
                                                     DisjointBatches beside) {
        List<Pending> batch = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            batch.add(Pending.of(commands.get(i), idempotencyKeys.get(i)));
        }
        try {
            writeBatch(batch, beside, beside != null && engine.readsWithoutLock())
                    .forEach(p -> p.answer().completeExceptionally(new Skipped()));
        } catch (RuntimeException | Error e) {
            batch.forEach(p -> p.answer().completeExceptionally(e));
        }
        return batch.stream().map(Pending::answer).toList();
    }

    /** Whether batches given to {@link #writeAll(List, List, DisjointBatches)} run their commands without the lock. */
    public boolean writesBesideOthers() {
        return engine.readsWithoutLock();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty() || !deferred.isEmpty()) {
            try {
                nextBatch(batch);
                if (!batch.isEmpty()) {
                    deferred.addAll(writeBatch(batch, null, false));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) { // never leave callers waiting on a dead writer
                LOG.error("the ledger's writer failed a batch: {}", e.getClass().getName());
                batch.forEach(p -> p.answer().completeExceptionally(e));
            }
            batch.clear();
        }
    }

    /** Up to {@code maxBatch} commands with distinct keys; a second command with a key waits for the next batch. */
    private void nextBatch(List<Pending> batch) throws InterruptedException {
        Set<String> keys = new HashSet<>();
        List<Pending> candidates = new ArrayList<>(deferred);
        deferred.clear();
        if (candidates.isEmpty()) {
            Pending first = closed ? queue.poll() : queue.poll(1, TimeUnit.SECONDS);
            if (first == null) {
                return;
            }
            candidates.add(first);
        }
        queue.drainTo(candidates, Math.max(0, maxBatch - candidates.size()));
        for (Pending p : candidates) {
            if (batch.size() < maxBatch && keys.add(p.idempotencyKey())) {
                batch.add(p);
            } else {
                deferred.add(p);
            }
        }
    }

    /**
     * Writes a batch and answers its commands, but for those it puts off to a later batch, which it returns: the
     * commands for an aggregate after one of its commands was refused (the refusal's rollback makes Axon forget the
     * aggregate as the batch had left it, so the next command would be checked against an outdated state). An
     * {@code optimistic} batch takes the log's lock only to append ({@link LogAppendingStorageEngine#readLog}); its
     * commands are answered only once it is written, if need be again with the lock first.
     */
    private List<Pending> writeBatch(List<Pending> batch, DisjointBatches beside, boolean optimistic) {
        Outcomes outcomes = new Outcomes();
        DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(new GenericMessage<>("ledger batch"));
        unit.attachTransaction(transactions);
        ResultMessage<?> result = unit.executeWithResult(() -> {
            // first, on this unit's connection: the nested units share it
            Map<String, IdempotencyRecord> existing = optimistic ? engine.readLog(keys(batch), targets(batch), beside)
                    : engine.lockLog(keys(batch), targets(batch), beside);
            Set<String> refusedTargets = new HashSet<>();
            for (Pending p : batch) {
                IdempotencyRecord earlier = existing.get(p.idempotencyKey());
                if (p.target() != null && refusedTargets.contains(p.target())) {
                    outcomes.later.add(p);
                } else if (earlier != null) {
                    outcomes.replayed.put(p, earlier);
                    if (p.target() != null && p.conflictsWith(earlier)) {
                        // refused, so what follows it for the same record must not go on as if it were written
                        // (an import's withdrawal after a registration imported before with another channel)
                        refusedTargets.add(p.target());
                    }
                } else {
                    try {
                        gateway.sendAndWait(p.command());
                        outcomes.sent.add(p);
                    } catch (RuntimeException refused) {
                        if (StorageOutage.causedBy(refused)) { // e.g. its record locked by a batch waiting for ours
                            throw refused;
                        }
                        outcomes.refused.put(p, refused);
                        if (p.target() != null) {
                            refusedTargets.add(p.target());
                        }
                    }
                }
            }
            return null;
        });
        if (optimistic && result.isExceptional()) {
            // its reads outdated, or the lock not granted in time: the writer holding it may be waiting for one of
            // this batch's aggregates, which Axon keeps locked until the batch ends (its lock taken after theirs)
            writtenAgain.incrementAndGet();
            return writeBatch(batch, beside, false);
        }
        outcomes.replayed.forEach((p, r) -> p.answer().complete(new Written(r, true)));
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            // the commands written, those refused (maybe because of a command written), those the failure came before
            List<Pending> failed = batch.stream()
                    .filter(p -> !outcomes.replayed.containsKey(p) && !outcomes.later.contains(p)).toList();
            if (failed.size() > 1 && !StorageOutage.causedBy(failure)) {
                // the exception's class only: a database's message may quote a row (an aggregate's pseudonym)
                LOG.warn("a batch of {} commands failed ({}); writing each alone", failed.size(),
                        failure.getClass().getName());
                failed.forEach(p -> writeBatch(List.of(p), beside, false));
            } else {
                RuntimeException answer = failure instanceof RuntimeException r ? r
                        : new IllegalStateException(failure);
                failed.forEach(p -> p.answer().completeExceptionally(answer));
            }
            return outcomes.later;
        }
        outcomes.refused.forEach((p, e) -> p.answer().completeExceptionally(e)); // the state they met is committed
        if (!outcomes.sent.isEmpty()) {
            batches.incrementAndGet();
            written.addAndGet(outcomes.sent.size());
        }
        Map<String, IdempotencyRecord> appended = LogAppendingStorageEngine.appended(unit);
        for (Pending p : outcomes.sent) {
            IdempotencyRecord record = appended.get(p.idempotencyKey());
            if (record == null) {
                p.answer().completeExceptionally(new IllegalStateException("command "
                        + p.command().getCommandName() + " recorded no event"));
            } else {
                p.answer().complete(new Written(record, false));
            }
        }
        return outcomes.later;
    }

    /** What became of each command of a batch: written, answered from an earlier record, refused, or put off. */
    private static final class Outcomes {
        final List<Pending> sent = new ArrayList<>();
        final List<Pending> later = new ArrayList<>();
        final Map<Pending, IdempotencyRecord> replayed = new IdentityHashMap<>();
        final Map<Pending, RuntimeException> refused = new IdentityHashMap<>();
    }

    private static List<String> keys(Collection<Pending> batch) {
        return batch.stream().map(Pending::idempotencyKey).toList();
    }

    /** The aggregates the batch's commands name, to read them at once (those of replays too: they are few). */
    private static Set<String> targets(List<Pending> batch) {
        Set<String> ids = new LinkedHashSet<>();
        for (Pending p : batch) {
            if (p.target() != null) {
                ids.add(p.target());
            }
        }
        return ids;
    }

    /** Batches committed with at least one new command, since start. */
    public long batchesCommitted() {
        return batches.get();
    }

    /** Optimistic batches that failed (mostly: found outdated when they came to append), written again with the lock first. */
    public long batchesWrittenAgain() {
        return writtenAgain.get();
    }

    /** Commands committed (each in some batch), since start. */
    public long commandsCommitted() {
        return written.get();
    }

    /** Stops taking commands, writes those already queued, and stops the writer (not interrupted mid-batch). */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(answerWithin.toMillis() + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
