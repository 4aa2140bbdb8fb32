package eu.ehds.rights.portal.anchoring;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** An anchor as the chaincode stores it. {@code previousTreeSize} is 0 for an origin's first anchor. */
public record ChainAnchor(String origin, long treeSize, String rootHash, String checkpointNote, long previousTreeSize,
                          String txId, String timestamp) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ChainAnchor parse(String json) {
        JsonNode n = JSON.readTree(json);
        return new ChainAnchor(n.get("origin").asString(), n.get("treeSize").asLong(), n.get("rootHash").asString(),
                n.get("checkpointNote").asString(), n.get("previousTreeSize").asLong(), n.get("txId").asString(),
                n.get("timestamp").asString());
    }
}
