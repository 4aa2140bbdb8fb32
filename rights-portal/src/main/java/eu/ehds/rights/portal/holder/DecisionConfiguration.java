package eu.ehds.rights.portal.holder;

import eu.ehds.rights.projections.decision.DecisionProjection;
import eu.ehds.rights.projections.anchoring.AnchorRecordsProjection;
import eu.ehds.rights.projections.finding.FindingsProjection;
import eu.ehds.rights.projections.mandate.MandateProjection;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import eu.ehds.rights.projections.statistics.OptOutStatisticsProjection;
import eu.ehds.rights.projections.usage.UsageProjection;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The decision read model is held in memory, so its tracking token is too (a persisted token without the matching
 * state would skip events): at every start, {@link ReadModelLoader} builds the model from the event store and gives
 * the processor the token to carry on from.
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
    PublicRegisterProjection publicRegisterProjection() {
        return new PublicRegisterProjection();
    }

    @Bean
    MandateProjection mandateProjection() {
        return new MandateProjection();
    }

    @Bean
    OptOutStatisticsProjection optOutStatisticsProjection() {
        return new OptOutStatisticsProjection();
    }

    @Bean
    FindingsProjection findingsProjection() {
        return new FindingsProjection();
    }

    @Bean
    AnchorRecordsProjection anchorRecordsProjection() {
        return new AnchorRecordsProjection();
    }

    /**
     * Starts where the bulk load ended (see {@link ReadModelLoader}); large batches and no database transaction
     * around them, since the read model lives in memory.
     */
    @Bean
    ConfigurerModule decisionReadModelProcessor(ReadModelLoader loader) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(DecisionProjection.PROCESSING_GROUP, c -> c.eventStore(),
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(1_000)
                                .andInitialTrackingToken(source -> loader.load()))
                .registerTokenStore(DecisionProjection.PROCESSING_GROUP, c -> new InMemoryTokenStore())
                .registerTransactionManager(DecisionProjection.PROCESSING_GROUP, c -> NoTransactionManager.INSTANCE));
    }
}
