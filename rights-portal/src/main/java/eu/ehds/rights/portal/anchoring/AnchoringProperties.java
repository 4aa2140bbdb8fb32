package eu.ehds.rights.portal.anchoring;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Anchoring of checkpoints on Hyperledger Fabric ({@code ledger.anchoring.*}). Without
 * {@code fabric-connection} nothing is anchored and the ledger says so.
 *
 * @param fabricConnection the connection file written by {@code fabric-network/network.sh up}
 *                         ({@code LEDGER_ANCHORING_FABRIC_CONNECTION})
 * @param organisation     whose peer and identity the ledger uses (prefix of the file's keys)
 * @param verifyOrganisation whose peer and identity the verification API reads the chain through
 * @param interval         anchor at least this often while there are new entries
 * @param events           ... or as soon as this many entries are waiting
 * @param poll             how often the anchoring thread looks at the log
 * @param retryInitial     first wait after a failure; doubled on each further failure up to {@code retryMax}
 * @param retryMax         longest wait between attempts while the network is unavailable
 * @param deadline         deadline of each call to the network
 */
@ConfigurationProperties("ledger.anchoring")
public record AnchoringProperties(
        Path fabricConnection,
        @DefaultValue("accessbody") String organisation,
        @DefaultValue("auditor") String verifyOrganisation,
        @DefaultValue("10s") Duration interval,
        @DefaultValue("1000") int events,
        @DefaultValue("200ms") Duration poll,
        @DefaultValue("1s") Duration retryInitial,
        @DefaultValue("30s") Duration retryMax,
        @DefaultValue("20s") Duration deadline) {

    public AnchoringProperties {
        if (events < 1) {
            throw new IllegalArgumentException("ledger.anchoring.events must be at least 1");
        }
    }
}
