package eu.ehds.rights.portal.anchoring;

import eu.ehds.rights.ledger.anchoring.AnchoringPort;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.portal.cluster.Leadership;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Fabric adapter when a network is configured; otherwise a port that says plainly nothing is anchored. */
@Configuration
class AnchoringConfiguration {

    @Bean
    AnchoringPort anchoringPort(AnchoringProperties properties, VerifiableLog log, NoteSigner signer,
                                LedgerCommands commands, Clock clock, javax.sql.DataSource dataSource) {
        if (properties.fabricConnection() == null) {
            return AnchoringPort.none();
        }
        FabricConnection connection = FabricConnection.load(properties.fabricConnection(), properties.organisation());
        return new Anchorer(new FabricLedgerClient(connection, properties.deadline()), log, signer, commands,
                properties, clock, new Leadership(dataSource, "anchoring"));
    }

    /** The log as the verification API sees it: in process, the same data the public proof endpoints serve. */
    @Bean
    AnchorVerification.LogView localLogView(VerifiableLog log, NoteSigner signer) {
        return new AnchorVerification.LogView() {
            @Override
            public String origin() {
                return signer.keyName();
            }

            @Override
            public byte[] publicKey() {
                return signer.publicKey();
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
