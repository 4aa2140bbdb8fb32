package eu.ehds.rights.portal.anchoring;

import eu.ehds.rights.ledger.anchoring.AnchoringPort;
import eu.ehds.rights.ledger.api.anchoring.RecordAnchorCommand;
import eu.ehds.rights.ledger.checkpoint.Checkpoint;
import eu.ehds.rights.ledger.checkpoint.LogKey;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.ledger.retry.Backoff;
import eu.ehds.rights.portal.cluster.Leadership;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Anchors the log's latest signed checkpoint on Fabric every {@code interval} or every {@code events} entries,
 * on a thread of its own, so ledger writes never wait for the network. Each committed anchor is recorded in the
 * ledger as a {@code CheckpointAnchored} event (once per tree size, whatever the retries). When the network is
 * unavailable it retries with exponential backoff and catches up with a single anchor covering everything
 * written meanwhile; after a restart it starts from the chain's latest anchor of this origin.
 *
 * <p>Of the nodes of one database only the {@link Leadership leader} anchors; it writes what it is doing to
 * {@link AnchoringReports} at each change, and at least every {@link #REPORT_EVERY} as a sign of life.
 */
public final class Anchorer implements SmartLifecycle {

    /** What this node's anchoring is doing (every node shows the leader's: see {@link SharedAnchoring}). */
    public record Status(String network, Optional<AnchoringPort.Anchor> latest, long pendingEntries, String problem,
                         Instant lastAttempt, String fork) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Anchorer.class);
    static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    private final FabricLedgerClient client;
    private final VerifiableLog log;
    private final NoteSigner signer;
    /** The log's keys as they are now (a rotation adds one while nodes are stopped). */
    private final java.util.function.Supplier<NoteVerifier> keys;
    private final LedgerCommands commands;
    private final AnchoringProperties properties;
    private final Clock clock;
    private volatile ScheduledExecutorService thread;
    /** Only one node of a shared database anchors: the others would send consistency proofs from a stale anchor. */
    private final Leadership leadership;
    private final Backoff backoff;
    private final AnchoringReports reports;
    private final String node;
    private AnchoringReports.Report reported;

    // Written by the anchoring thread only; volatile so that status readers see them.
    private volatile boolean ready;
    private volatile AnchoringPort.Anchor latest;
    private volatile long ownRecordLeaf = -1;
    private volatile long pending;
    private volatile String problem;
    private volatile Instant lastAttempt;
    /** Set when the chain's anchor contradicts this log (a fork, or a database restored to an older state): the node
     * then stops anchoring and records nothing until an operator has looked. */
    private volatile String fork;
    private Instant lastAnchorAt = Instant.EPOCH;
    private Instant nextAttempt = Instant.EPOCH;
    private int failures;

    public Anchorer(FabricLedgerClient client, VerifiableLog log, NoteSigner signer,
                    java.util.function.Supplier<NoteVerifier> keys, LedgerCommands commands,
                    AnchoringProperties properties, Clock clock, Leadership leadership, AnchoringReports reports,
                    String node) {
        this.leadership = leadership;
        this.reports = reports;
        this.node = node;
        this.backoff = Backoff.forever(properties.retryInitial(), properties.retryMax());
        this.client = client;
        this.log = log;
        this.signer = signer;
        this.keys = keys;
        this.commands = commands;
        this.properties = properties;
        this.clock = clock;
    }

    /** The latest anchor this node made or resumed from. */
    public Optional<AnchoringPort.Anchor> latestAnchor() {
        return Optional.ofNullable(latest);
    }

    public Status status() {
        return new Status(client.connection().networkName(), latestAnchor(), pending, problem, lastAttempt, fork);
    }

    /** One step of the anchoring loop; public for tests and benchmarks that drive it by hand. */
    public synchronized void tick() {
        Instant now = clock.instant();
        if (!leadership.holds()) {
            ready = false; // should it lead again: start from what the chain holds, whoever anchored meanwhile
            reported = null;
            return;
        }
        if (fork == null && !now.isBefore(nextAttempt)) {
            step(now);
        }
        report(now);
    }

    private void step(Instant now) {
        try {
            long size = log.refresh();
            pending = pendingEntries(size);
            if (!ready) {
                resumeFromChain();
                if (fork != null) {
                    return; // the chain contradicts this log: nothing more is anchored or recorded
                }
                pending = pendingEntries(size);
                failures = 0;
                problem = null; // the chain answers again
            }
            long waiting = pending;
            if (waiting <= 0) {
                return;
            }
            if (waiting < properties.events() && now.isBefore(lastAnchorAt.plus(properties.interval()))) {
                return;
            }
            lastAttempt = now;
            anchorLatestCheckpoint();
            pending = pendingEntries(size); // what the status shows now, not at the next tick
            lastAnchorAt = now;
            failures = 0;
            problem = null;
        } catch (RuntimeException e) {
            ready = false; // whatever happened on the chain, start again from what it holds
            failures++;
            long delay = backoff.after(failures).toMillis();
            nextAttempt = now.plusMillis(delay);
            problem = e.getMessage();
            LOG.warn("anchoring failed ({} in a row), next attempt in {} ms: {}", failures, delay, e.getMessage());
        }
    }

    /** Tells the other nodes what the leader does: at each change, and every {@link #REPORT_EVERY} regardless. */
    private void report(Instant now) {
        AnchoringReports.Report last = reported;
        String told = fork != null ? fork : problem;
        boolean same = last != null && java.util.Objects.equals(last.problem(), told)
                && last.forked() == (fork != null) && java.util.Objects.equals(last.lastAttempt(), lastAttempt);
        if (same && now.isBefore(last.reportedAt().plus(REPORT_EVERY))) {
            return;
        }
        AnchoringReports.Report report = new AnchoringReports.Report(node, told, fork != null, lastAttempt, now);
        try {
            reports.write(signer.keyName(), report);
            reported = report;
        } catch (RuntimeException e) {
            LOG.warn("could not write the anchoring report: {}", e.getMessage());
        }
    }

    private long pendingEntries(long size) {
        AnchoringPort.Anchor anchor = latest;
        long waiting = anchor == null ? size : size - anchor.treeSize() - (ownRecordLeaf >= anchor.treeSize() ? 1 : 0);
        return Math.max(0, waiting);
    }

    /**
     * Takes the chain's latest anchor of this origin as the starting point, after bringing the origin's keys on the
     * chain up to the log's history (registered at the first start, each rotation since).
     */
    private void resumeFromChain() {
        String origin = signer.keyName();
        NoteVerifier verifier = keys.get();
        String keyConflict = registerKeys(origin, verifier.keys());
        if (keyConflict != null) {
            fork = keyConflict;
            LOG.error("anchoring stopped: {}", keyConflict);
            return;
        }
        Optional<ChainAnchor> onChain = client.latest(origin); // a query: answers even while endorsement cannot
        if (onChain.isPresent()) {
            ChainAnchor a = onChain.get();
            String contradiction = contradiction(a, verifier);
            if (contradiction != null) {
                fork = contradiction;
                LOG.error("anchoring stopped: {}", contradiction);
                return;
            }
            // A crash between commit and record leaves the anchor unrecorded: record it now (a no-op if it was).
            record(a, a.txId(), client.blockNumber(a.txId()));
            LOG.info("anchoring resumes after tree size {} (transaction {})", a.treeSize(), a.txId());
        }
        ready = true;
    }

    /**
     * Why the chain's latest anchor cannot be this log's, or null when it is: signed with the log's key, and the log's
     * own root at that size is the anchored root. Never take the chain's word for what this log holds.
     */
    private String contradiction(ChainAnchor a, NoteVerifier verifier) {
        long size = log.refresh();
        if (a.treeSize() > size) {
            return "rollback: the chain holds an anchor of " + a.origin() + " at tree size " + a.treeSize()
                    + " (transaction " + a.txId() + "), but this log has only " + size + " entries; was the database "
                    + "restored from an older backup? Entries acknowledged and anchored are missing";
        }
        try {
            Checkpoint note = verifier.verify(a.checkpointNote());
            if (note.treeSize() != a.treeSize() || !HexFormat.of().formatHex(note.rootHash()).equals(a.rootHash())) {
                return "the chain's anchor of " + a.origin() + " (transaction " + a.txId() + ") does not match its "
                        + "own signed note";
            }
        } catch (RuntimeException e) {
            return "the chain's anchor of " + a.origin() + " at tree size " + a.treeSize() + " (transaction "
                    + a.txId() + ") is not signed by this log's key: " + e.getMessage();
        }
        String own = HexFormat.of().formatHex(log.root(a.treeSize()));
        if (!own.equals(a.rootHash())) {
            return "fork: at tree size " + a.treeSize() + " this log's root is " + own + " but the root anchored "
                    + "on the chain (transaction " + a.txId() + ") is " + a.rootHash() + "; this log's history "
                    + "differs from what was anchored (a database restored from an older backup, then written to?)";
        }
        return null;
    }

    /** Registers what the chain lacks of the log's keys; the reason when the chain holds other keys, else null. */
    private String registerKeys(String origin, List<LogKey> history) {
        List<FabricLedgerClient.ChainKey> onChain = client.originKeys(origin);
        for (int i = 0; i < Math.min(onChain.size(), history.size()); i++) {
            FabricLedgerClient.ChainKey held = onChain.get(i);
            LogKey key = history.get(i);
            if (!held.publicKey().equals(key.publicKey()) || i > 0 && held.firstTreeSize() != key.firstTreeSize()) {
                return "the chain holds key " + held.publicKey() + " for " + origin + " from tree size "
                        + held.firstTreeSize() + ", but this log's key " + (i + 1) + " is " + key.publicKey() + " from "
                        + "tree size " + key.firstTreeSize() + "; the chain's keys are not this log's";
            }
        }
        if (onChain.size() > history.size()) {
            return "the chain holds " + onChain.size() + " keys for " + origin + " but this log has only "
                    + history.size() + ": was the database restored from a backup older than a key rotation?";
        }
        if (onChain.isEmpty()) {
            client.registerOrigin(origin, history.get(0).rawPublicKey());
        }
        for (int i = Math.max(1, onChain.size()); i < history.size(); i++) {
            client.rotateOriginKey(origin, history.get(i).rawPublicKey(), history.get(i).firstTreeSize());
            LOG.info("registered the rotation of {}'s key on the chain: key {} from tree size {}", origin,
                    history.get(i).publicKey(), history.get(i).firstTreeSize());
        }
        return null;
    }

    private void anchorLatestCheckpoint() {
        VerifiableLog.SignedCheckpoint checkpoint = log.checkpoint();
        AnchoringPort.Anchor previous = latest;
        if (previous != null && checkpoint.treeSize() <= previous.treeSize()) {
            return;
        }
        List<byte[]> proof = previous == null ? List.of()
                : log.consistencyProof(previous.treeSize(), checkpoint.treeSize());
        FabricLedgerClient.Committed committed = client.anchor(signer.keyName(), checkpoint.treeSize(),
                checkpoint.rootHash(), checkpoint.note(), proof);
        ChainAnchor a = committed.anchor();
        boolean ours = a.txId().equals(committed.transactionId());
        // When the chain already held this checkpoint (a retry after a lost answer), the first transaction is the anchor.
        record(a, a.txId(), ours ? committed.blockNumber() : client.blockNumber(a.txId()));
    }

    private void record(ChainAnchor a, String transactionId, long blockNumber) {
        String network = client.connection().networkName();
        // Idempotency keys allow no '/', which origins usually contain: name the origin by a hash.
        String key = "anchor:" + Sha256.hex(a.origin())
                .substring(0, 16) + ":" + a.treeSize();
        Map<String, Object> request = Map.of("origin", a.origin(), "treeSize", a.treeSize(), "rootHash", a.rootHash(),
                "network", network, "transactionId", transactionId, "blockNumber", blockNumber);
        CommandReceipt receipt = commands.submit("anchors/record", request, key, () -> new RecordAnchorCommand(
                RecordAnchorCommand.anchorId(a.origin(), a.treeSize()), a.origin(), a.treeSize(), a.rootHash(), network,
                transactionId, blockNumber, "system:anchoring", clock.instant(), key));
        ownRecordLeaf = receipt.leafIndex();
        latest = new AnchoringPort.Anchor(a.treeSize(), transactionId, blockNumber);
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    @Override
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "anchoring");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(10, properties.poll().toMillis());
        thread.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
        LOG.info("anchoring on {} every {} or {} entries", client.connection().networkName(), properties.interval(),
                properties.events());
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = thread;
        thread = null;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(properties.deadline().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
        leadership.close(); // another node may lead at once
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
