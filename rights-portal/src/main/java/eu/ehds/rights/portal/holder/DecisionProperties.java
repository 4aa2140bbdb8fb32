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
 */
@ConfigurationProperties("decisions")
public record DecisionProperties(@DefaultValue("EHDS_ART_71_3") RuleMode rule, @DefaultValue("10000") int maxBatch) {
}
