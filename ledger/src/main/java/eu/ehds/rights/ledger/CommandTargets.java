package eu.ehds.rights.ledger;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Optional;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.IdentifierMissingException;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;

/**
 * The aggregate a command names: the {@code @TargetAggregateIdentifier} component of a command record, found once per
 * record type. Axon's own resolver searches a command's fields and methods for the annotation on every command (a
 * quarter of the writer's time in a profile of {@code bench append}); the ledger's commands are records, none
 * versioned.
 * A command that is not a record is left to Axon's resolver.
 */
public final class CommandTargets implements CommandTargetResolver {

    private static final ClassValue<Optional<MethodHandle>> ACCESSORS = new ClassValue<>() {
        @Override
        protected Optional<MethodHandle> computeValue(Class<?> type) {
            return type.isRecord() ? Arrays.stream(type.getRecordComponents())
                    .filter(c -> annotated(type, c))
                    .findFirst().map(CommandTargets::handle) : Optional.empty();
        }
    };

    private final CommandTargetResolver others = AnnotationCommandTargetResolver.builder().build();

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        Object payload = command.getPayload();
        if (!payload.getClass().isRecord()) {
            return others.resolveTarget(command);
        }
        if (ACCESSORS.get(payload.getClass()).isEmpty()) {
            // Axon's words: a creation handler's dispatcher takes this message as "no target"
            throw new IllegalArgumentException("Invalid command. It does not identify the target aggregate. "
                    + "Make sure at least one of the fields or methods in the [" + payload.getClass().getSimpleName()
                    + "] class contains the @TargetAggregateIdentifier annotation and that it returns a non-null "
                    + "value.");
        }
        String target = target(payload);
        if (target == null) {
            throw new IdentifierMissingException("Invalid command. It does not identify the target aggregate: its "
                    + "@TargetAggregateIdentifier is null in " + payload.getClass().getSimpleName());
        }
        return new VersionedAggregateIdentifier((Object) target, null);
    }

    /** The aggregate a command record names; null for a command that names none (a creation) or is not a record. */
    public static String target(Object command) {
        Optional<MethodHandle> accessor = ACCESSORS.get(command.getClass());
        if (accessor.isEmpty()) {
            return null;
        }
        try {
            Object id = accessor.get().invoke(command);
            return id == null ? null : id.toString();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The annotation is on the record's field (and accessor), not on its component, for the targets it declares. */
    private static boolean annotated(Class<?> type, RecordComponent component) {
        try {
            return type.getDeclaredField(component.getName()).isAnnotationPresent(TargetAggregateIdentifier.class)
                    || component.getAccessor().isAnnotationPresent(TargetAggregateIdentifier.class);
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    private static MethodHandle handle(RecordComponent component) {
        try {
            return MethodHandles.publicLookup().unreflect(component.getAccessor());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("the accessor of " + component + " is not public", e);
        }
    }
}
