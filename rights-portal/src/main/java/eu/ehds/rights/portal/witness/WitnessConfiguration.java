package eu.ehds.rights.portal.witness;

import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.portal.cluster.Leadership;
import eu.ehds.rights.portal.ledger.Cosignatures;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WitnessProperties.class)
class WitnessConfiguration {

    /** Offers checkpoints to the witness, on the node that leads the job among those sharing the database. */
    @Bean
    @ConditionalOnExpression("!'${ledger.witness.url:}'.isBlank()")
    Witnessing witnessing(WitnessProperties properties, VerifiableLog log, Cosignatures cosignatures,
                          DataSource dataSource, Clock clock) {
        return new Witnessing(properties, log, cosignatures,
                Leadership.askingEvery(dataSource, "witnessing", properties.interval()), clock);
    }
}
