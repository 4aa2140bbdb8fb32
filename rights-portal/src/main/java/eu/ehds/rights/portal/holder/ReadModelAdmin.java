package eu.ehds.rights.portal.holder;

import eu.ehds.rights.projections.decision.DecisionProjection;
import java.time.Duration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.springframework.stereotype.Service;

/** Rebuilds the decision read model from the event store on demand: stop, reset to the log's start, restart. */
@Service
public class ReadModelAdmin {

    private final EventProcessingConfiguration processing;
    private final DecisionProjection readModel;

    ReadModelAdmin(EventProcessingConfiguration processing, DecisionProjection readModel) {
        this.processing = processing;
        this.readModel = readModel;
    }

    public synchronized void rebuild() {
        TrackingEventProcessor processor = processing
                .eventProcessor(DecisionProjection.PROCESSING_GROUP, TrackingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no tracking processor for the decision read model"));
        processor.shutDown();
        processor.resetTokens();
        processor.start();
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
