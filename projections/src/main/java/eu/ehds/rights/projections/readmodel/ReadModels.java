package eu.ehds.rights.projections.readmodel;

import eu.ehds.rights.ledger.store.LogAppendingStorageEngine;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MetaDataValue;

/**
 * Every in-memory read model, fed by one tracking processor and by one bulk pass over the event store, through the
 * same handler. The processor's token lives in memory with the models (a persisted token without the matching state
 * would skip events).
 *
 * <pre>{@code
 * ReadModels.Pass pass = models.pass();
 * pass.apply(event, leafIndex);   // for every stored event, in order
 * pass.install();                 // every model switches at once
 * }</pre>
 */
@ProcessingGroup(ReadModels.PROCESSING_GROUP)
public final class ReadModels {

    public static final String PROCESSING_GROUP = "read-models";

    private final List<ReadModel<?>> models;

    public ReadModels(List<? extends ReadModel<?>> models) {
        this.models = List.copyOf(models);
    }

    /** The event types some model reads. */
    public Set<Class<?>> eventTypes() {
        Set<Class<?>> types = new LinkedHashSet<>();
        models.forEach(m -> types.addAll(m.eventTypes()));
        return types;
    }

    @EventHandler
    void on(Object event, @MetaDataValue(LogAppendingStorageEngine.LEAF_INDEX) Number leafIndex) {
        apply(event, leafIndex.longValue());
    }

    /** Applies one event, as the processor does, to every installed model. */
    public void apply(Object event, long leafIndex) {
        for (ReadModel<?> model : models) {
            model.apply(event, leafIndex);
        }
    }

    /** Starts building every model aside. */
    public Pass pass() {
        return new Pass(models.stream().<Built<?>>map(Built::of).toList());
    }

    /** Fresh models being built from the store, installed together by {@link #install}. */
    public static final class Pass {
        private final List<Built<?>> built;

        private Pass(List<Built<?>> built) {
            this.built = built;
        }

        public void apply(Object event, long leafIndex) {
            for (Built<?> b : built) {
                b.aside.apply(event, leafIndex);
            }
        }

        public void install() {
            built.forEach(Built::install);
        }
    }

    private record Built<M extends ReadModel<M>>(M installed, ReadModel.Builder<M> aside) {

        @SuppressWarnings({"unchecked", "rawtypes"})
        static Built<?> of(ReadModel<?> model) {
            ReadModel raw = model;
            return new Built(raw, raw.builder());
        }

        void install() {
            installed.install(aside);
        }
    }
}
