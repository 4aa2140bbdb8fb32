package eu.ehds.rights.portal.holder;

import eu.ehds.rights.projections.decision.DecisionProjection;
import org.axonframework.config.ConfigurerModule;
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
    ConfigurerModule decisionReadModelProcessor() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(DecisionProjection.PROCESSING_GROUP)
                .registerTokenStore(DecisionProjection.PROCESSING_GROUP, c -> new InMemoryTokenStore()));
    }
}
