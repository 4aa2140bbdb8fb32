package eu.ehds.rights.portal.holder;

import eu.ehds.rights.projections.decision.DecisionProjection;
import eu.ehds.rights.projections.usage.UsageProjection;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The decision read model is held in memory, so its tracking token is too: it is rebuilt from the event store at
 * every start (a persisted token without the matching state would skip events).
 */
@Configuration(proxyBeanMethods = false)
class DecisionConfiguration {

    @Bean
    DecisionProjection decisionProjection() {
        return new DecisionProjection();
    }

    @Bean
    UsageProjection usageProjection() {
        return new UsageProjection();
    }

    @Bean
    ConfigurerModule usageRegisterProcessor() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(UsageProjection.PROCESSING_GROUP)
                .registerTokenStore(UsageProjection.PROCESSING_GROUP, c -> new InMemoryTokenStore()));
    }

    /**
     * Large batches and no database transaction around them: the read model lives in memory, so a rebuild is
     * bounded by reading and deserialising events, not by commits.
     */
    @Bean
    ConfigurerModule decisionReadModelProcessor() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(DecisionProjection.PROCESSING_GROUP, c -> c.eventStore(),
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(1_000))
                .registerTokenStore(DecisionProjection.PROCESSING_GROUP, c -> new InMemoryTokenStore())
                .registerTransactionManager(DecisionProjection.PROCESSING_GROUP, c -> NoTransactionManager.INSTANCE));
    }
}
