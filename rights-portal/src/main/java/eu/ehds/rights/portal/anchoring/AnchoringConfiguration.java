package eu.ehds.rights.portal.anchoring;

import eu.ehds.rights.ledger.anchoring.AnchoringPort;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.portal.cluster.Leadership;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import eu.ehds.rights.portal.ledger.LogKeys;
import eu.ehds.rights.projections.anchoring.AnchorRecordsProjection;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The Fabric adapter when a network is configured; otherwise a port that says plainly nothing is anchored. */
@Configuration
class AnchoringConfiguration {

    /** Anchors, on the node that leads the job among those sharing the database (see {@link Leadership}). */
    @Bean
    @ConditionalOnExpression("!'${ledger.anchoring.fabric-connection:}'.isBlank()")
    Anchorer anchorer(AnchoringProperties properties, VerifiableLog log, NoteSigner signer, LogKeys keys,
                      LedgerCommands commands,
                      Clock clock, DataSource dataSource, JdbcClient jdbc,
                      @Value("${ledger.node-name:}") String nodeName) {
        FabricConnection connection = FabricConnection.load(properties.fabricConnection(), properties.organisation());
        String node = nodeName.isBlank() ? ProcessHandle.current().pid() + "@" + hostName() : nodeName;
        return new Anchorer(new FabricLedgerClient(connection, properties.deadline()), log, signer,
                keys::verifier, commands, properties, clock, new Leadership(dataSource, "anchoring"), new AnchoringReports(jdbc), node);
    }

    /** What every node shows: read from the shared database; or, without a network, that nothing is anchored. */
    @Bean
    AnchoringPort anchoringPort(AnchoringProperties properties, NoteSigner signer, AnchorRecordsProjection anchors,
                                JdbcClient jdbc, VerifiableLog log, Clock clock) {
        if (properties.fabricConnection() == null) {
            return AnchoringPort.none();
        }
        String network = FabricConnection.load(properties.fabricConnection(), properties.organisation()).networkName();
        return new SharedAnchoring(network, signer.keyName(), anchors, new AnchoringReports(jdbc), log, clock);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** The log as the verification API sees it: in process, the same data the public proof endpoints serve. */
    @Bean
    AnchorVerification.LogView localLogView(VerifiableLog log, NoteSigner signer, LogKeys keys) {
        return new AnchorVerification.LogView() {
            @Override
            public String origin() {
                return signer.keyName();
            }

            @Override
            public NoteVerifier keys() {
                return keys.verifier();
            }

            @Override
            public byte[] root(long treeSize) {
                return log.root(treeSize);
            }

            @Override
            public byte[] leafHash(long leafIndex) {
                return log.leafHash(leafIndex);
            }

            @Override
            public List<byte[]> inclusionProof(long leafIndex, long treeSize) {
                return log.inclusionProof(leafIndex, treeSize);
            }
        };
    }
}
