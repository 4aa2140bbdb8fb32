package eu.ehds.rights.portal.holder;

import eu.ehds.rights.projections.decision.RuleMode;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of decisions ({@code decisions.*}).
 *
 * @param rule     which opt-outs apply ({@code DECISIONS_RULE}): {@code EHDS_ART_71_3} (default) or
 *                 {@code STRICT_FUTURE_EXTRACTS}
 * @param maxBatch most persons in one batch request
 * @param waitForTreeSize how long a request naming a tree size this node's read model has not reached yet waits for
 *                 it (the write was acknowledged by another node a moment ago) before answering 503
 */
@ConfigurationProperties("decisions")
public record DecisionProperties(@DefaultValue("EHDS_ART_71_3") RuleMode rule, @DefaultValue("10000") int maxBatch,
                                 @DefaultValue("2s") java.time.Duration waitForTreeSize) {
}
