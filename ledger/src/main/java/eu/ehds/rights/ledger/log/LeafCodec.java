package eu.ehds.rights.ledger.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The leaf bytes of an event: the canonical JSON (see {@link CanonicalJson}) of
 * <pre>
 * {"aggregateId": ..., "eventId": ..., "payload": {...}, "revision": "1", "sequence": 0,
 *  "timestamp": "2026-11-23T10:15:30.123Z", "type": "OptOutRegistered", "v": 1}
 * </pre>
 * where {@code payload} is the stored event payload (JSON) re-encoded canonically, {@code type} and
 * {@code revision} are the stable event type name and revision, and {@code timestamp} is the instant the event
 * was created, in {@link Instant#toString()} form. Only stored data enters a leaf, so the verifier can rebuild
 * every leaf from the event store alone. {@code "v"} is the version of this layout.
 */
public final class LeafCodec {

    public static final int LAYOUT_VERSION = 1;

    private final ObjectMapper mapper = new ObjectMapper();

    public byte[] leafBytes(String eventId, String aggregateId, long sequence, Instant timestamp, String type,
                            String revision, byte[] payloadJson) {
        ObjectNode leaf = mapper.createObjectNode();
        leaf.put("v", LAYOUT_VERSION);
        leaf.put("eventId", eventId);
        leaf.put("aggregateId", aggregateId);
        leaf.put("sequence", sequence);
        leaf.put("timestamp", timestamp.toString());
        leaf.put("type", type);
        leaf.put("revision", revision);
        leaf.set("payload", parse(payloadJson));
        return CanonicalJson.write(leaf);
    }

    private JsonNode parse(byte[] json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored event payload is not JSON", e);
        }
    }
}
