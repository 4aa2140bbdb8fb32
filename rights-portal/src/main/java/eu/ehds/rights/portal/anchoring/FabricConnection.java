package eu.ehds.rights.portal.anchoring;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where one organisation reaches the anchoring network and as whom: read from the properties file that
 * {@code fabric-network/network.sh up} writes, keys prefixed with the organisation ({@code accessbody.},
 * {@code auditor.}).
 */
public record FabricConnection(String channel, String chaincode, String mspId, String peerEndpoint, String hostAlias,
                               Path tlsCaCertificate, Path certificate, Path privateKey) {

    public static FabricConnection load(Path file, String organisation) {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            p.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the Fabric connection file " + file + ": " + e.getMessage());
        }
        return new FabricConnection(required(p, file, "channel"), required(p, file, "chaincode"),
                required(p, file, organisation + ".msp-id"), required(p, file, organisation + ".peer-endpoint"),
                required(p, file, organisation + ".peer-host-alias"),
                Path.of(required(p, file, organisation + ".tls-ca-certificate")),
                Path.of(required(p, file, organisation + ".certificate")),
                Path.of(required(p, file, organisation + ".private-key")));
    }

    private static String required(Properties p, Path file, String key) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the Fabric connection file " + file + " has no " + key);
        }
        return value.trim();
    }

    /** How the network is named in events and on pages. */
    public String networkName() {
        return "fabric:" + channel + "/" + chaincode;
    }
}
