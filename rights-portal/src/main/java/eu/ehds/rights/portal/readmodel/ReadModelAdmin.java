package eu.ehds.rights.portal.readmodel;

import eu.ehds.rights.projections.decision.DecisionProjection;
import eu.ehds.rights.projections.readmodel.ReadModels;
import java.time.Duration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.springframework.stereotype.Service;

/**
 * Rebuilds the decision read model from the event store on demand: stop the processor, build a fresh model aside
 * (queries keep the old one until it is complete), install it, and restart the processor after the events read.
 */
@Service
public class ReadModelAdmin {

    private final EventProcessingConfiguration processing;
    private final DecisionProjection readModel;
    private final ReadModelLoader loader;

    ReadModelAdmin(EventProcessingConfiguration processing, DecisionProjection readModel, ReadModelLoader loader) {
        this.processing = processing;
        this.readModel = readModel;
        this.loader = loader;
    }

    public synchronized void rebuild() {
        TrackingEventProcessor processor = processing
                .eventProcessor(ReadModels.PROCESSING_GROUP, TrackingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no tracking processor for the decision read model"));
        awaitStarted(processor);
        processor.shutDown();
        processor.resetTokens(loader.load());
        processor.start();
    }

    /**
     * The processor cannot be stopped while it is still starting, that is while the start-up load runs in its
     * initial token function: wait until it has claimed its segment.
     */
    private static void awaitStarted(TrackingEventProcessor processor) {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (processor.isRunning() && processor.processingStatus().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the read model's start-up load has not finished after 30 minutes");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the read model's start-up load", e);
            }
        }
    }

    /** Waits until the read model reflects {@code treeSize} leaves; false on timeout. */
    public boolean awaitTreeSize(long treeSize, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (readModel.treeSize() < treeSize) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
