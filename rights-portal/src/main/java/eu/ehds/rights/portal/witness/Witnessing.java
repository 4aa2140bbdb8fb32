package eu.ehds.rights.portal.witness;

import eu.ehds.rights.ledger.checkpoint.CosignatureVerifier;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.ledger.retry.Backoff;
import eu.ehds.rights.portal.cluster.Leadership;
import eu.ehds.rights.portal.ledger.Cosignatures;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Offers the log's latest checkpoint to a witness (C2SP tlog-witness {@code add-checkpoint}) with a consistency proof
 * from the last size the witness cosigned, and stores the cosignature it answers once it verifies with the witness's
 * key. Only stored checkpoints are offered, never a past size signed anew. Runs on the node that leads the job among
 * those sharing the database; when the witness is down, writes go on and checkpoints simply lack its cosignature
 * until it answers again.
 */
public class Witnessing implements SmartLifecycle {

    /** What this node's witnessing is doing. */
    public record Status(String witness, Long witnessedTreeSize, String problem, Instant lastAttempt) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Witnessing.class);

    private final WitnessProperties properties;
    private final CosignatureVerifier witness;
    private final VerifiableLog log;
    private final Cosignatures cosignatures;
    private final Leadership leadership;
    private final Clock clock;
    private final HttpClient http;
    private final Backoff backoff;
    private volatile ScheduledExecutorService thread;

    // Written by the witnessing thread only.
    /** The size the witness last cosigned as far as this node knows; null until it answered once. */
    private volatile Long witnessed;
    private volatile String problem;
    private volatile Instant lastAttempt;
    private Instant nextAttempt = Instant.EPOCH;
    private int failures;

    public Witnessing(WitnessProperties properties, VerifiableLog log, Cosignatures cosignatures,
                      Leadership leadership, Clock clock) {
        this.properties = properties;
        this.witness = CosignatureVerifier.parse(properties.key());
        this.log = log;
        this.cosignatures = cosignatures;
        this.leadership = leadership;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
        this.backoff = Backoff.forever(properties.interval(), properties.interval().multipliedBy(15));
    }

    public Status status() {
        return new Status(witness.name(), witnessed, problem, lastAttempt);
    }

    /** One step; public for tests that drive it by hand. */
    public synchronized void tick() {
        Instant now = clock.instant();
        if (!leadership.holds() || now.isBefore(nextAttempt)) {
            return;
        }
        try {
            lastAttempt = now;
            offerLatest();
            failures = 0;
            problem = null;
        } catch (RuntimeException e) {
            failures++;
            nextAttempt = now.plus(backoff.after(failures));
            problem = e.getMessage();
            LOG.warn("witness {} did not cosign ({} in a row): {}", witness.name(), failures, e.getMessage());
        }
    }

    private void offerLatest() {
        VerifiableLog.SignedCheckpoint checkpoint = log.checkpoint();
        long old = witnessed != null ? witnessed : cosignatures.latest().orElse(0L);
        if (witnessed != null && old == checkpoint.treeSize() && !cosignatures.at(old).isEmpty()) {
            return; // nothing new to cosign
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            if (old > checkpoint.treeSize()) {
                throw new IllegalStateException("the witness has cosigned tree size " + old + " of this log, which "
                        + "has only " + checkpoint.treeSize() + " entries: was the database restored from an older "
                        + "backup?");
            }
            HttpResponse<String> answer = send(old, checkpoint);
            if (answer.statusCode() == 409) { // the witness cosigned another size last: offer a proof from there
                old = Long.parseLong(answer.body().strip());
                continue;
            }
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("the witness answered " + answer.statusCode() + " to the checkpoint "
                        + "of tree size " + checkpoint.treeSize() + explain(answer.statusCode()));
            }
            store(checkpoint, answer.body());
            witnessed = checkpoint.treeSize();
            return;
        }
        throw new IllegalStateException("the witness's cosigned size keeps changing");
    }

    private static String explain(int status) {
        return switch (status) {
            case 403 -> ": it does not trust the log's key (after a key rotation, give it the new key)";
            case 404 -> ": it does not know this log's origin (add it to the witness's logs)";
            case 422 -> ": the checkpoint does not extend what it cosigned before (a fork?)";
            default -> "";
        };
    }

    private HttpResponse<String> send(long old, VerifiableLog.SignedCheckpoint checkpoint) {
        StringBuilder body = new StringBuilder("old ").append(old).append('\n');
        if (old > 0 && old < checkpoint.treeSize()) {
            List<byte[]> proof = log.consistencyProof(old, checkpoint.treeSize());
            proof.forEach(hash -> body.append(Base64.getEncoder().encodeToString(hash)).append('\n'));
        }
        body.append('\n').append(checkpoint.note());
        HttpRequest request = HttpRequest.newBuilder(properties.baseUrl().resolve("add-checkpoint"))
                .timeout(properties.timeout())
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("the witness at " + properties.url() + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Keeps the witness's line once it verifies over the checkpoint's text; other lines (other keys) are ignored. */
    private void store(VerifiableLog.SignedCheckpoint checkpoint, String lines) {
        String note = checkpoint.note();
        String text = note.substring(0, note.indexOf("\n\n") + 1);
        String prefix = "\u2014 " + witness.name() + " ";
        for (String line : lines.split("\n")) {
            if (line.startsWith(prefix)) {
                var at = witness.verifyLine(text, line.substring(prefix.length()));
                if (at.isPresent()) {
                    cosignatures.save(checkpoint.treeSize(), witness.name(), line + "\n", at.get());
                    return;
                }
            }
        }
        throw new IllegalStateException("the witness answered without a cosignature by its key " + witness.name());
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    @Override
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "witnessing");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::tick, 0, Math.max(10, properties.interval().toMillis()),
                TimeUnit.MILLISECONDS);
        LOG.info("offering checkpoints to witness {} at {} every {}", witness.name(), properties.url(),
                properties.interval());
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = thread;
        thread = null;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(properties.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leadership.close();
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
