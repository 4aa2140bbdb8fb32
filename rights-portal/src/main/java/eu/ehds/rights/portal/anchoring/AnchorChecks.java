package eu.ehds.rights.portal.anchoring;

import eu.ehds.rights.ledger.api.common.ConflictException;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;

/**
 * Auditors' verification of entries and tree sizes against their anchors, through the auditor organisation's own
 * peer (one client, opened on first use), for the API and the audit pages alike.
 */
@Component
public class AnchorChecks {

    private final AnchoringProperties properties;
    private final AnchorVerification.LogView log;
    private FabricLedgerClient client;

    AnchorChecks(AnchoringProperties properties, AnchorVerification.LogView log) {
        this.properties = properties;
        this.log = log;
    }

    public boolean configured() {
        return properties.fabricConnection() != null;
    }

    public AnchorVerification.Report verifyEntry(long leafIndex) {
        return new AnchorVerification(log, client()).verifyEntry(leafIndex);
    }

    public AnchorVerification.Report verifyTreeSize(long treeSize) {
        return new AnchorVerification(log, client()).verifyTreeSize(treeSize);
    }

    private synchronized FabricLedgerClient client() {
        if (!configured()) {
            throw new ConflictException("checkpoints are not anchored: no anchoring network is configured");
        }
        if (client == null) {
            client = new FabricLedgerClient(FabricConnection.load(properties.fabricConnection(),
                    properties.verifyOrganisation()), properties.deadline());
        }
        return client;
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
