package eu.ehds.rights.portal.notification;

import eu.ehds.rights.notifications.delivery.DeliveryWorker;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the delivery worker on a thread of its own while the application runs: at once when notices are added,
 * otherwise every poll interval (retries fall due with time). Stopping it interrupts a delivery in progress and waits
 * up to 10 s for it; the outbox still holds whatever was not done, for the next start, which waits for a send still
 * in progress (never two threads on one worker).
 */
public class DeliveryRunner implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRunner.class);

    private final DeliveryWorker worker;
    private final Duration poll;
    private final Duration stopWait;
    private final Semaphore wake = new Semaphore(0);
    private volatile Thread thread;
    /** A stopped thread still finishing a send. */
    private Thread stopping;

    DeliveryRunner(DeliveryWorker worker, Duration poll) {
        this(worker, poll, Duration.ofSeconds(10));
    }

    /** @param stopWait how long a stop waits for a send in progress */
    DeliveryRunner(DeliveryWorker worker, Duration poll, Duration stopWait) {
        this.worker = worker;
        this.poll = poll;
        this.stopWait = stopWait;
    }

    /** Asks for a pass now rather than at the next poll. */
    public void wakeUp() {
        wake.release();
    }

    @Override
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        if (stopping != null) { // one thread per worker: two would share its claims and could send a notice twice
            try {
                stopping.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            stopping = null;
        }
        Thread t = new Thread(this::loop, "notice-delivery");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void loop() {
        // a library may swallow the stop's interrupt: the thread also ends once it is no longer the runner's
        while (!Thread.currentThread().isInterrupted() && thread == Thread.currentThread()) {
            try {
                int handled = worker.runOnce();
                if (handled == 0) {
                    wake.tryAcquire(poll.toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("notice delivery pass failed; trying again", e);
                try {
                    Thread.sleep(poll.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Stops the worker, interrupting a delivery in progress, and waits a while (10 s) for its thread to end. */
    @Override
    public synchronized void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
            try {
                t.join(stopWait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) { // still in a send (each SMTP step is bounded): a start waits for it
                stopping = t;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
