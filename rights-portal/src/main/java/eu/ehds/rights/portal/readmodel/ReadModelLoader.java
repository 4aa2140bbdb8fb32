package eu.ehds.rights.portal.readmodel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ehds.rights.ledger.store.EventTypes;
import eu.ehds.rights.ledger.store.LogAppendingStorageEngine;
import eu.ehds.rights.portal.ledger.LedgerConfiguration;
import eu.ehds.rights.projections.readmodel.ReadModels;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Builds every in-memory read model ({@link ReadModels}) straight from the event table, then tells their tracking
 * processor where to carry on. Axon's processor reads, deserialises and dispatches every event with its
 * metadata, a few tens of thousands a second; this reads only the columns the models need, in pages of the primary
 * key, decodes only the event types some model reads, and takes the leaf index out of the metadata with a streaming
 * parser.
 *
 * <pre>{@code
 * TrackingToken token = loader.load();   // the model now reflects every event read
 * processor.resetTokens(token);         // the processor carries on after them
 * }</pre>
 */
@Component
public class ReadModelLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ReadModelLoader.class);
    private static final int PAGE = 20_000;
    /** Indexes skipped this close to the end may belong to transactions still committing: the token keeps them. */
    private static final long GAP_WINDOW = 10_000;

    private final DataSource dataSource;
    private final ReadModels models;
    private final ObjectMapper mapper = LedgerConfiguration.storageMapper();
    private final JsonFactory json = new JsonFactory();
    private final Map<String, Class<?>> decoded = new HashMap<>();
    private volatile boolean loaded;

    ReadModelLoader(DataSource dataSource, ReadModels models) {
        this.dataSource = dataSource;
        this.models = models;
        for (Class<?> type : models.eventTypes()) {
            decoded.put(EventTypes.of(type).orElseThrow().name(), type);
        }
    }

    /**
     * Reads every stored event into fresh read models, installs them, and returns the token just after the last event
     * read (with the recent gaps), or {@code null} when the store is empty.
     */
    public synchronized TrackingToken load() {
        long started = System.nanoTime();
        ReadModels.Pass pass = models.pass();
        TreeSet<Long> gaps = new TreeSet<>();
        long last = 0; // global indexes start at 1
        long events = 0;
        long treeSize = 0;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement page = connection.prepareStatement("SELECT global_index, payload_type, payload, meta_data "
                     + "FROM domain_event_entry WHERE global_index > ? ORDER BY global_index LIMIT " + PAGE)) {
            int rows;
            do {
                page.setLong(1, last);
                rows = 0;
                try (ResultSet rs = page.executeQuery()) {
                    while (rs.next()) {
                        long index = rs.getLong(1);
                        noteGaps(gaps, last, index);
                        last = index;
                        rows++;
                        Object event = decode(rs.getString(2), rs.getBytes(3));
                        long leaf = leafIndex(rs.getBytes(4));
                        pass.apply(event, leaf);
                        treeSize = Math.max(treeSize, leaf + 1);
                    }
                }
                events += rows;
            } while (rows == PAGE);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not read the event store to build the read models", e);
        }
        pass.install();
        LOG.info("read models built from {} events (tree size {}) in {} ms", events, treeSize,
                (System.nanoTime() - started) / 1_000_000);
        loaded = true;
        if (events == 0) {
            return null;
        }
        return GapAwareTrackingToken.newInstance(last, gaps);
    }

    /** Whether the read models have been built from the event store since this node started. */
    public boolean loaded() {
        return loaded;
    }

    /** The event, for the types the models keep; the type name alone for the others. */
    private Object decode(String type, byte[] payload) throws IOException {
        Class<?> eventType = decoded.get(type);
        return eventType == null ? type : mapper.readValue(payload, eventType);
    }

    private long leafIndex(byte[] metaData) throws IOException {
        if (metaData != null) {
            try (JsonParser parser = json.createParser(metaData)) {
                if (parser.nextToken() == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        JsonToken value = parser.nextToken();
                        if (LogAppendingStorageEngine.LEAF_INDEX.equals(field) && value.isNumeric()) {
                            return parser.getLongValue();
                        }
                        parser.skipChildren();
                    }
                }
            }
        }
        throw new IllegalStateException("a stored event has no leaf index in its metadata");
    }

    private static void noteGaps(TreeSet<Long> gaps, long previous, long index) {
        for (long missing = Math.max(previous + 1, index - GAP_WINDOW); missing < index; missing++) {
            gaps.add(missing);
        }
        if (!gaps.isEmpty() && gaps.first() < index - GAP_WINDOW) {
            gaps.headSet(index - GAP_WINDOW).clear();
        }
    }
}
