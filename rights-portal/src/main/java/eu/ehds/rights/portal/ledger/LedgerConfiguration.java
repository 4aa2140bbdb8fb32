package eu.ehds.rights.portal.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import eu.ehds.rights.ledger.CommandTargets;
import eu.ehds.rights.ledger.LedgerAggregates;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.ledger.log.LogStore;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.ledger.project.ProjectDirectory;
import eu.ehds.rights.ledger.store.AliasingSerializer;
import eu.ehds.rights.ledger.store.LogAppendingStorageEngine;
import eu.ehds.rights.ledger.store.LogVerifier;
import eu.ehds.rights.ledger.store.StoredLeaves;
import eu.ehds.rights.ledger.store.TailingJdbcEngine;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Wires Axon's JDBC event storage, the verifiable log and the keys. Declared here because on Spring Boot 4
 * Axon's JDBC auto-configuration runs before the DataSource exists (see shared/NOTES.md).
 */
@Configuration(proxyBeanMethods = false)
public class LedgerConfiguration {

    /** Axon's tables under snake_case names (see the Flyway migrations in the ledger module). */
    static final EventSchema EVENT_SCHEMA = EventSchema.builder()
            .eventTable("domain_event_entry").snapshotTable("snapshot_event_entry")
            .globalIndexColumn("global_index").timestampColumn("time_stamp")
            .eventIdentifierColumn("event_identifier").aggregateIdentifierColumn("aggregate_identifier")
            .sequenceNumberColumn("sequence_number").typeColumn("type").payloadTypeColumn("payload_type")
            .payloadRevisionColumn("payload_revision").payloadColumn("payload").metaDataColumn("meta_data")
            .build();

    static final TokenSchema TOKEN_SCHEMA = TokenSchema.builder()
            .setTokenTable("token_entry").setProcessorNameColumn("processor_name").setSegmentColumn("segment")
            .setTokenColumn("token").setTokenTypeColumn("token_type").setTimestampColumn("timestamp")
            .setOwnerColumn("owner")
            .build();

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ConnectionProvider axonConnectionProvider(DataSource dataSource) {
        return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
    }

    /** Durable commits on the embedded database too (see {@link DurableTransactionManager}). */
    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new DurableTransactionManager(dataSource);
    }

    @Bean
    TransactionManager axonTransactionManager(PlatformTransactionManager transactionManager) {
        return new SpringTransactionManager(transactionManager);
    }

    /** Jackson 2 for Axon's storage: instants as ISO-8601 text, unknown fields tolerated for old revisions. */
    public static ObjectMapper storageMapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Bean
    @Primary
    Serializer serializer() {
        return JacksonSerializer.builder().objectMapper(storageMapper()).build();
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(Serializer serializer) {
        return new AliasingSerializer(serializer);
    }

    @Bean
    LogStore logStore(ConnectionProvider connections) {
        return new LogStore(connections);
    }

    @Bean
    EventStorageEngine eventStorageEngine(ConnectionProvider connections, TransactionManager transactionManager,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          Serializer serializer, LogStore logStore) {
        JdbcEventStorageEngine jdbc = new TailingJdbcEngine(JdbcEventStorageEngine.builder()
                .connectionProvider(connections)
                .transactionManager(TailingJdbcEngine.readingOutsideTransactions(transactionManager))
                .eventSerializer(eventSerializer)
                .snapshotSerializer(serializer)
                .persistenceExceptionResolver(new JdbcSQLErrorCodesResolver())
                .schema(EVENT_SCHEMA)
                .batchSize(1_000) // events fetched per query when processors stream the store
                // Every event is inserted holding the log's lock until its transaction ends, so a global index seen
                // has every lower one committed or never to be: a gap is a rolled-back batch, never filled later.
                // Axon's default kept each gap in the tokens of the next 10,000 events, and the event store caches
                // 10,000 events with their tokens: a rolled-back import batch's 500 gaps could hold about 200 MB.
                // Now only the token of the first event past a gap holds it.
                .maxGapOffset(1),
                java.time.Duration.ofSeconds(1));
        return new LogAppendingStorageEngine(jdbc, eventSerializer, logStore);
    }

    /** The one writer of this node (see {@link GroupCommitter}); it finishes what is queued when the node stops. */
    @Bean(destroyMethod = "close")
    GroupCommitter groupCommitter(CommandGateway gateway, TransactionManager transactionManager,
                                  EventStorageEngine engine,
                                  @org.springframework.beans.factory.annotation.Value("${ledger.group-commit.max-batch:500}")
                                  int maxBatch,
                                  @org.springframework.beans.factory.annotation.Value("${ledger.group-commit.queue:20000}")
                                  int queue,
                                  @org.springframework.beans.factory.annotation.Value("${ledger.group-commit.answer-within:30s}")
                                  java.time.Duration answerWithin) {
        return new GroupCommitter(gateway, transactionManager, (LogAppendingStorageEngine) engine, maxBatch,
                queue, answerWithin);
    }

    /**
     * Axon's event store as Boot would declare it, but polling the shared store every {@code ledger.read-models.poll}
     * (Axon waits a second): this node's own commits wake its readers at once, other nodes' show only at the next
     * poll, so the poll bounds how long a write made on one node takes to be answered on another.
     */
    @Bean
    EmbeddedEventStore eventStore(EventStorageEngine engine, org.axonframework.config.Configuration configuration,
                                  @org.springframework.beans.factory.annotation.Value("${ledger.read-models.poll:25ms}")
                                  java.time.Duration poll) {
        return new BatchAwareEventStore(EmbeddedEventStore.builder().storageEngine(engine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(Math.max(1, poll.toMillis())));
    }

    /**
     * Within a batch of the group committer, loading an aggregate skips Axon's search of the batch's uncommitted events
     * (it scans them all for each load, which made a batch of n commands cost n² or worse): each aggregate is loaded
     * once per batch and kept by the repository, so no uncommitted event of it can be missing from what it holds (after
     * a refusal, which makes the repository forget the aggregate, the batch puts off that aggregate's later commands).
     * A project registered in a batch is seen by the next batches.
     */
    static final class BatchAwareEventStore extends EmbeddedEventStore {

        BatchAwareEventStore(EmbeddedEventStore.Builder builder) {
            super(builder);
        }

        @Override
        protected java.util.stream.Stream<? extends org.axonframework.eventhandling.DomainEventMessage<?>>
                stagedDomainEventMessages(String aggregateIdentifier) {
            return LogAppendingStorageEngine.inLockedBatch() ? java.util.stream.Stream.empty()
                    : super.stagedDomainEventMessages(aggregateIdentifier);
        }
    }

    @Bean
    TokenStore tokenStore(ConnectionProvider connections, Serializer serializer) {
        return JdbcTokenStore.builder().connectionProvider(connections).serializer(serializer).schema(TOKEN_SCHEMA)
                .build();
    }

    /** Events inherit the idempotency key and request hash of the command that caused them. */
    @Bean
    CorrelationDataProvider idempotencyCorrelation() {
        return new SimpleCorrelationDataProvider(LogAppendingStorageEngine.IDEMPOTENCY_KEY,
                LogAppendingStorageEngine.REQUEST_HASH);
    }

    /** The ledger's aggregates, their commands' targets found once per command type ({@link CommandTargets}). */
    @Bean
    ConfigurerModule ledgerAggregates() {
        CommandTargets targets = new CommandTargets();
        return configurer -> LedgerAggregates.all().forEach(type -> configurer.configureAggregate(
                AggregateConfigurer.defaultConfiguration(type).configureCommandTargetResolver(c -> targets)));
    }

    /**
     * A project exists when its event stream starts with {@link ProjectRegistered}. A project once registered stays
     * (closing it is an event of its own), so the projects found are remembered: a batch of opt-outs for one project
     * reads its stream once.
     */
    @Bean
    ProjectDirectory projectDirectory(@Lazy EventStore eventStore) {
        Set<String> known = ConcurrentHashMap.newKeySet();
        return projectId -> {
            if (known.contains(projectId)) {
                return true;
            }
            DomainEventStream events = eventStore.readEvents(projectId);
            boolean exists = events.hasNext() && events.peek().getPayloadType() == ProjectRegistered.class;
            if (exists) {
                known.add(projectId);
            }
            return exists;
        };
    }

    /** Lock and idle-transaction limits on PostgreSQL connections (see {@link PostgresSessionLimits}). */
    @Bean
    static PostgresSessionLimits postgresSessionLimits(
            @org.springframework.beans.factory.annotation.Value("${ledger.database.lock-timeout:5s}") String lockTimeout,
            @org.springframework.beans.factory.annotation.Value("${ledger.database.idle-in-transaction-timeout:10s}")
            String idleInTransaction) {
        return new PostgresSessionLimits(lockTimeout, idleInTransaction);
    }

    @Bean
    Pseudonymiser pseudonymiser(LedgerProperties properties) {
        return new Pseudonymiser(KeyMaterial.load(properties.pseudonymKey(), properties.dataDir(), "pseudonym.key",
                32, "pseudonymisation key"));
    }

    @Bean
    NoteSigner noteSigner(LedgerProperties properties) {
        return NoteSigner.fromSeed(properties.origin(), KeyMaterial.load(properties.signingKey(), properties.dataDir(),
                "checkpoint-signing.key", 32, "checkpoint signing key"));
    }

    @Bean
    LogKeys logKeys(DataSource dataSource, NoteSigner signer) {
        return new LogKeys(org.springframework.jdbc.core.simple.JdbcClient.create(dataSource), signer);
    }

    @Bean
    VerifiableLog verifiableLog(LogStore logStore, NoteSigner signer, LogKeys keys) {
        return new VerifiableLog(logStore, signer, keys);
    }

    @Bean
    StoredLeaves storedLeaves(ConnectionProvider connections) {
        return new StoredLeaves(connections);
    }

    @Bean
    LogVerifier logVerifier(StoredLeaves leaves, LogStore logStore, LogKeys keys) {
        return new LogVerifier(leaves, logStore, keys::verifier);
    }
}
