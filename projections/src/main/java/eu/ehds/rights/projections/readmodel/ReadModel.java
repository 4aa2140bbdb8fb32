package eu.ehds.rights.projections.readmodel;

import java.util.Set;
import java.util.function.Supplier;

/**
 * A read model held in memory and rebuilt from the event store: a fresh copy is built aside from every stored event
 * ({@link #builder()}), installed whole ({@link #install}) so that queries never see half a model, then kept up
 * event by event ({@link #apply}) from where the bulk pass ended. {@link ReadModels} feeds both paths through the
 * same {@link #apply}; adding a read model is writing a subclass (the portal picks up every subclass in this
 * module).
 *
 * <pre>{@code
 * ReadModel.Builder<MandateProjection> aside = mandates.builder();
 * aside.apply(event, leafIndex);   // for every stored event, in order
 * mandates.install(aside);         // queries switch to the complete model at once
 * }</pre>
 *
 * @param <M> the model's own class
 */
public abstract class ReadModel<M extends ReadModel<M>> {

    private final Supplier<M> fresh;
    private final Set<Class<?>> eventTypes;

    /**
     * @param fresh      an empty model of the same kind, to build aside
     * @param eventTypes the stored event types this model reads
     */
    protected ReadModel(Supplier<M> fresh, Class<?>... eventTypes) {
        this.fresh = fresh;
        this.eventTypes = Set.of(eventTypes);
    }

    /** The stored event types this model reads; the bulk pass decodes those and hands the others over undecoded. */
    public final Set<Class<?>> eventTypes() {
        return eventTypes;
    }

    /**
     * Applies one stored event with its leaf index in the verifiable log. The same event twice changes nothing; an
     * event of another type (or, in the bulk pass, the type name of an event not decoded) changes nothing either,
     * except for models that count every leaf.
     */
    public abstract void apply(Object event, long leafIndex);

    /** Takes the state of a complete model built aside; called once, under this model's lock. */
    protected abstract void takeOver(M built);

    public final Builder<M> builder() {
        return new Builder<>(fresh.get());
    }

    /** Replaces this model's state by that of a complete model built aside. */
    public final synchronized void install(Builder<M> built) {
        takeOver(built.model);
    }

    /** A model being built aside: queries keep the installed one until {@link ReadModel#install} is called. */
    public static final class Builder<M extends ReadModel<M>> {
        private final M model;

        private Builder(M model) {
            this.model = model;
        }

        public void apply(Object event, long leafIndex) {
            model.apply(event, leafIndex);
        }
    }
}
