package eu.ehds.rights.portal.readmodel;

import eu.ehds.rights.projections.readmodel.ReadModel;
import eu.ehds.rights.projections.readmodel.ReadModels;
import java.util.List;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;

/**
 * Every subclass of {@link ReadModel} in the projections module becomes a bean, fed by one {@link ReadModels}
 * handler. The models are held in memory, so their tracking token is too (a persisted token without the matching
 * state would skip events): at every start, {@link ReadModelLoader} builds them from the event store and gives the
 * processor the token to carry on from.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackages = "eu.ehds.rights.projections", useDefaultFilters = false,
        includeFilters = @Filter(type = FilterType.ASSIGNABLE_TYPE, classes = ReadModel.class))
class ReadModelConfiguration {

    @Bean
    ReadModels everyReadModel(List<ReadModel<?>> models) {
        return new ReadModels(models);
    }

    /**
     * Starts where the bulk load ended (see {@link ReadModelLoader}); large batches and no database transaction
     * around them, since the models live in memory.
     */
    @Bean
    ConfigurerModule readModelProcessor(ReadModelLoader loader) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(ReadModels.PROCESSING_GROUP, c -> c.eventStore(),
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(1_000)
                                .andInitialTrackingToken(source -> loader.load()))
                .registerTokenStore(ReadModels.PROCESSING_GROUP, c -> new InMemoryTokenStore())
                .registerTransactionManager(ReadModels.PROCESSING_GROUP, c -> NoTransactionManager.INSTANCE));
    }
}
