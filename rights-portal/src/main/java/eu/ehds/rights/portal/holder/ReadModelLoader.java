package eu.ehds.rights.portal.holder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ehds.rights.ledger.api.optout.OptOutRegistered;
import eu.ehds.rights.ledger.api.optout.OptOutWithdrawn;
import eu.ehds.rights.ledger.api.anchoring.CheckpointAnchored;
import eu.ehds.rights.ledger.api.finding.SignificantFindingAcknowledged;
import eu.ehds.rights.ledger.api.finding.SignificantFindingDelivered;
import eu.ehds.rights.ledger.api.finding.SignificantFindingDeliverySuppressed;
import eu.ehds.rights.ledger.api.finding.SignificantFindingForwarded;
import eu.ehds.rights.ledger.api.finding.SignificantFindingReported;
import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateGranted;
import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateRevoked;
import eu.ehds.rights.ledger.api.project.DataUsageRecorded;
import eu.ehds.rights.ledger.api.project.ResultsPublished;
import eu.ehds.rights.ledger.api.project.PermitApproved;
import eu.ehds.rights.ledger.api.project.ProjectClosed;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.ledger.api.project.PublicInterestDerogationRecorded;
import eu.ehds.rights.ledger.store.EventTypes;
import eu.ehds.rights.ledger.store.LogAppendingStorageEngine;
import eu.ehds.rights.portal.ledger.LedgerConfiguration;
import eu.ehds.rights.projections.decision.DecisionProjection;
import eu.ehds.rights.projections.anchoring.AnchorRecordsProjection;
import eu.ehds.rights.projections.finding.FindingsProjection;
import eu.ehds.rights.projections.mandate.MandateProjection;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import eu.ehds.rights.projections.statistics.OptOutStatisticsProjection;
import eu.ehds.rights.projections.usage.UsageProjection;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Builds the in-memory read models (decisions, usages, public register, mandates, statistics, anchors) straight from the event table, then tells their
 * tracking processor where to carry on. Axon's processor reads, deserialises and dispatches every event with its
 * metadata, a few tens of thousands a second; this reads only the columns the models need, in pages of the primary
 * key, decodes only the event types they keep, and takes the leaf index out of the metadata with a streaming
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
    private static final List<Class<?>> DECODED = List.of(OptOutRegistered.class, OptOutWithdrawn.class,
            ProjectRegistered.class, PermitApproved.class, PublicInterestDerogationRecorded.class, ProjectClosed.class,
            DataUsageRecorded.class, ResultsPublished.class, RepresentativeMandateGranted.class,
            RepresentativeMandateRevoked.class, CheckpointAnchored.class, SignificantFindingReported.class,
            SignificantFindingForwarded.class, SignificantFindingAcknowledged.class, SignificantFindingDelivered.class,
            SignificantFindingDeliverySuppressed.class);

    private final DataSource dataSource;
    private final DecisionProjection readModel;
    private final UsageProjection usages;
    private final PublicRegisterProjection register;
    private final MandateProjection mandates;
    private final OptOutStatisticsProjection statistics;
    private final AnchorRecordsProjection anchors;
    private final FindingsProjection findings;
    private final ObjectMapper mapper = LedgerConfiguration.storageMapper();
    private final JsonFactory json = new JsonFactory();
    private final Map<String, Class<?>> decoded = new HashMap<>();
    private volatile boolean loaded;

    ReadModelLoader(DataSource dataSource, DecisionProjection readModel, UsageProjection usages,
                    PublicRegisterProjection register, MandateProjection mandates,
                    OptOutStatisticsProjection statistics, AnchorRecordsProjection anchors,
                    FindingsProjection findings) {
        this.dataSource = dataSource;
        this.readModel = readModel;
        this.usages = usages;
        this.register = register;
        this.mandates = mandates;
        this.statistics = statistics;
        this.anchors = anchors;
        this.findings = findings;
        for (Class<?> type : DECODED) {
            decoded.put(EventTypes.of(type).orElseThrow().name(), type);
        }
    }

    /**
     * Reads every stored event into fresh read models, installs them, and returns the token just after the last event
     * read (with the recent gaps), or {@code null} when the store is empty.
     */
    public synchronized TrackingToken load() {
        long started = System.nanoTime();
        DecisionProjection.Builder model = DecisionProjection.builder();
        UsageProjection.Builder usageBuilder = UsageProjection.builder();
        PublicRegisterProjection.Builder registerBuilder = PublicRegisterProjection.builder();
        MandateProjection.Builder mandateBuilder = MandateProjection.builder();
        OptOutStatisticsProjection.Builder statisticsBuilder = OptOutStatisticsProjection.builder();
        AnchorRecordsProjection.Builder anchorBuilder = AnchorRecordsProjection.builder();
        FindingsProjection.Builder findingBuilder = FindingsProjection.builder();
        TreeSet<Long> gaps = new TreeSet<>();
        long last = 0; // global indexes start at 1
        long events = 0;
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
                        model.apply(event, leaf);
                        usageBuilder.apply(event);
                        registerBuilder.apply(event);
                        mandateBuilder.apply(event);
                        statisticsBuilder.apply(event, leaf);
                        anchorBuilder.apply(event);
                        findingBuilder.apply(event);
                    }
                }
                events += rows;
            } while (rows == PAGE);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not read the event store to build the read models", e);
        }
        readModel.install(model);
        usages.install(usageBuilder);
        register.install(registerBuilder);
        mandates.install(mandateBuilder);
        statistics.install(statisticsBuilder);
        anchors.install(anchorBuilder);
        findings.install(findingBuilder);
        LOG.info("read models built from {} events (tree size {}) in {} ms", events, model.treeSize(),
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
