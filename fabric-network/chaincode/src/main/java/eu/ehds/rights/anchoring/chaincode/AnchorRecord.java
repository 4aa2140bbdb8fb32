package eu.ehds.rights.anchoring.chaincode;

import org.json.JSONObject;

/**
 * One anchored checkpoint as stored on the channel: what was anchored, what it extends and the transaction that
 * wrote it. {@code previousTreeSize} is 0 for an origin's first anchor.
 */
record AnchorRecord(String origin, long treeSize, String rootHash, String checkpointNote, long previousTreeSize,
                    String txId, String timestamp) {

    String toJson() {
        return new JSONObject()
                .put("origin", origin)
                .put("treeSize", treeSize)
                .put("rootHash", rootHash)
                .put("checkpointNote", checkpointNote)
                .put("previousTreeSize", previousTreeSize)
                .put("txId", txId)
                .put("timestamp", timestamp)
                .toString();
    }

    static AnchorRecord fromJson(String json) {
        JSONObject o = new JSONObject(json);
        return new AnchorRecord(o.getString("origin"), o.getLong("treeSize"), o.getString("rootHash"),
                o.getString("checkpointNote"), o.getLong("previousTreeSize"), o.getString("txId"),
                o.getString("timestamp"));
    }
}
