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
 * otherwise every poll interval (retries fall due with time). Stopping it interrupts a delivery in progress; the
 * outbox still holds whatever was not done, for the next start.
 */
public class DeliveryRunner implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRunner.class);

    private final DeliveryWorker worker;
    private final Duration poll;
    private final Semaphore wake = new Semaphore(0);
    private volatile Thread thread;

    DeliveryRunner(DeliveryWorker worker, Duration poll) {
        this.worker = worker;
        this.poll = poll;
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
        Thread t = new Thread(this::loop, "notice-delivery");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
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

    /** Stops the worker, interrupting a delivery in progress, and waits for its thread to end. */
    @Override
    public synchronized void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
