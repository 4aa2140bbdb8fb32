package eu.ehds.rights.ledger.store;

import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;

/**
 * Wraps Axon's serializer so that ledger events are stored under their {@link EventTypes} names and revisions
 * instead of Java class names. Other types (metadata, tokens) pass through unchanged.
 */
public final class AliasingSerializer implements Serializer {

    private final Serializer delegate;

    public AliasingSerializer(Serializer delegate) {
        this.delegate = delegate;
    }

    @Override
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        SerializedObject<T> serialized = delegate.serialize(object, expectedRepresentation);
        if (object == null) {
            return serialized;
        }
        return EventTypes.of(object.getClass())
                .<SerializedObject<T>>map(t -> new SimpleSerializedObject<>(serialized.getData(),
                        serialized.getContentType(), new SimpleSerializedType(t.name(), t.revision())))
                .orElse(serialized);
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return delegate.canSerializeTo(expectedRepresentation);
    }

    @Override
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        SerializedType javaType = toJavaType(serializedObject.getType());
        if (javaType == serializedObject.getType()) {
            return delegate.deserialize(serializedObject);
        }
        return delegate.deserialize(new SimpleSerializedObject<>(serializedObject.getData(),
                serializedObject.getContentType(), javaType));
    }

    @Override
    public Class<?> classForType(SerializedType type) {
        return delegate.classForType(toJavaType(type));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public SerializedType typeForClass(Class type) {
        Class<?> javaType = type;
        return EventTypes.of(javaType)
                .<SerializedType>map(t -> new SimpleSerializedType(t.name(), t.revision()))
                .orElseGet(() -> delegate.typeForClass(javaType));
    }

    @Override
    public Converter getConverter() {
        return delegate.getConverter();
    }

    private static SerializedType toJavaType(SerializedType stored) {
        return EventTypes.named(stored.getName())
                .<SerializedType>map(t -> new SimpleSerializedType(t.javaType().getName(), stored.getRevision()))
                .orElse(stored);
    }
}
