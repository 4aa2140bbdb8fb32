package eu.ehds.rights.anchoring.chaincode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.contract.ClientIdentity;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Default;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * Anchors the signed checkpoints of a verifiable log. A checkpoint is accepted only if it is signed by the key
 * registered for its origin and its tree size (a log rotates its key: each key signs from a tree size on) and, after the origin's first anchor, proven (RFC 9162 consistency proof) to extend
 * the last anchored one; each anchor is written once and never changed. Deterministic: no clock but the
 * transaction's own timestamp, no randomness.
 */
@Contract(name = "anchoring", info = @Info(title = "Checkpoint anchoring", version = "1.0"))
@Default
public final class AnchoringContract implements ContractInterface {

    static final String ANCHORED_EVENT = "CheckpointAnchored";
    static final int MAX_HISTORY_PAGE = 1000;

    private static final HexFormat HEX = HexFormat.of();
    // Simple keys (range queries need them); \u0001 cannot occur in an origin, so prefixes never overlap.
    private static final String SEP = "\u0001";

    /**
     * The organisation whose identities may register an origin's key: the access body that runs the ledger. Anyone
     * else registering first would squat the log's name (its key is write-once) and keep the ledger from anchoring.
     */
    static final String REGISTRAR_MSP = "AccessBodyMSP";

    @Transaction(name = "RegisterOrigin", intent = Transaction.TYPE.SUBMIT)
    public String registerOrigin(Context ctx, String origin, String publicKeyBase64) {
        requireOrigin(origin);
        requireRegistrar(ctx);
        byte[] key = parseKey(publicKeyBase64);
        ChaincodeStub stub = ctx.getStub();
        String existing = stub.getStringState(originKey(origin));
        if (existing != null && !existing.isEmpty()) {
            if (new JSONObject(existing).getString("publicKey").equals(Base64.getEncoder().encodeToString(key))) {
                return existing; // registering the same key again changes nothing
            }
            throw new AnchorRefused("origin " + origin + " is already registered with another key");
        }
        String encoded = Base64.getEncoder().encodeToString(key);
        String json = new JSONObject().put("origin", origin).put("publicKey", encoded)
                .put("keys", new JSONArray().put(new JSONObject().put("publicKey", encoded).put("firstTreeSize", 0)))
                .toString();
        stub.putStringState(originKey(origin), json);
        return json;
    }

    /**
     * Registers the origin's next key, which verifies its checkpoints from {@code firstTreeSize} on; the earlier keys
     * keep verifying the sizes before. Only the access body's identities may, as for registration; the same rotation
     * again changes nothing, a key that signed before is refused, and so is a size already anchored.
     */
    @Transaction(name = "RotateOriginKey", intent = Transaction.TYPE.SUBMIT)
    public String rotateOriginKey(Context ctx, String origin, String publicKeyBase64, String firstTreeSize) {
        requireOrigin(origin);
        requireRegistrar(ctx);
        byte[] key = parseKey(publicKeyBase64);
        long from = parseSize(firstTreeSize);
        ChaincodeStub stub = ctx.getStub();
        JSONObject record = originRecord(stub, origin);
        JSONArray keys = record.getJSONArray("keys");
        String encoded = Base64.getEncoder().encodeToString(key);
        JSONObject last = keys.getJSONObject(keys.length() - 1);
        if (last.getString("publicKey").equals(encoded) && last.getLong("firstTreeSize") == from) {
            return record.toString(); // the same rotation again
        }
        for (int i = 0; i < keys.length(); i++) {
            if (keys.getJSONObject(i).getString("publicKey").equals(encoded)) {
                throw new AnchorRefused("key " + encoded + " has signed " + origin + " before: a retired key never "
                        + "signs again");
            }
        }
        if (from <= last.getLong("firstTreeSize")) {
            throw new AnchorRefused("the next key must start after tree size " + last.getLong("firstTreeSize")
                    + ", where the current key of " + origin + " starts");
        }
        String latestJson = stub.getStringState(latestKey(origin));
        if (latestJson != null && !latestJson.isEmpty() && AnchorRecord.fromJson(latestJson).treeSize() >= from) {
            throw new AnchorRefused("tree size " + from + " of " + origin + " is already anchored under the current "
                    + "key (latest anchor " + AnchorRecord.fromJson(latestJson).treeSize() + ")");
        }
        keys.put(new JSONObject().put("publicKey", encoded).put("firstTreeSize", from));
        record.put("publicKey", encoded);
        String json = record.toString();
        stub.putStringState(originKey(origin), json);
        return json;
    }

    /** The origin's registration: its keys, oldest first, each with the first tree size it signs; or "". */
    @Transaction(name = "OriginKeys", intent = Transaction.TYPE.EVALUATE)
    public String originKeys(Context ctx, String origin) {
        String json = ctx.getStub().getStringState(originKey(origin));
        return json == null || json.isEmpty() ? "" : originRecord(ctx.getStub(), origin).toString();
    }

    @Transaction(name = "AnchorCheckpoint", intent = Transaction.TYPE.SUBMIT)
    public String anchorCheckpoint(Context ctx, String origin, String treeSize, String rootHash, String checkpointNote,
                                   String consistencyProof) {
        requireOrigin(origin);
        ChaincodeStub stub = ctx.getStub();
        long size = parseSize(treeSize);
        byte[] root = parseHash(rootHash, "rootHash");
        List<byte[]> proof = parseProof(consistencyProof);

        CheckpointNote note = CheckpointNote.verify(checkpointNote, origin, registeredKey(stub, origin, size));
        if (!note.origin().equals(origin) || note.treeSize() != size || !MessageDigest.isEqual(note.rootHash(), root)) {
            throw new AnchorRefused("the signed note is for " + note.origin() + " at tree size " + note.treeSize()
                    + ", not the origin, tree size and root hash given");
        }

        String latestJson = stub.getStringState(latestKey(origin));
        long previous = 0;
        if (latestJson != null && !latestJson.isEmpty()) {
            AnchorRecord latest = AnchorRecord.fromJson(latestJson);
            byte[] latestRoot = HEX.parseHex(latest.rootHash());
            if (size == latest.treeSize() && MessageDigest.isEqual(root, latestRoot)) {
                return latestJson; // already anchored: retries of a committed anchor change nothing
            }
            if (size <= latest.treeSize()) {
                throw new AnchorRefused("tree size " + size + " is not larger than the last anchored size "
                        + latest.treeSize() + " of " + origin);
            }
            if (!ConsistencyProof.verify(latest.treeSize(), latestRoot, size, root, proof)) {
                throw new AnchorRefused("the checkpoint at tree size " + size + " is not proven to extend the anchored"
                        + " checkpoint at tree size " + latest.treeSize() + ": consistency proof rejected");
            }
            previous = latest.treeSize();
        } else if (!proof.isEmpty()) {
            throw new AnchorRefused("the first anchor of " + origin + " takes no consistency proof");
        }

        Instant at = stub.getTxTimestamp();
        AnchorRecord record = new AnchorRecord(origin, size, HEX.formatHex(root), checkpointNote, previous,
                stub.getTxId(), at == null ? "" : at.toString());
        String json = record.toJson();
        stub.putStringState(anchorKey(origin, size), json);
        stub.putStringState(latestKey(origin), json);
        stub.setEvent(ANCHORED_EVENT, json.getBytes(StandardCharsets.UTF_8));
        return json;
    }

    /** A client (or admin) identity of the access body: not another organisation, not a peer or orderer. */
    private static void requireRegistrar(Context ctx) {
        ClientIdentity caller = ctx.getClientIdentity();
        String msp = caller == null ? null : caller.getMSPID();
        if (!REGISTRAR_MSP.equals(msp)) {
            throw new AnchorRefused("only identities of " + REGISTRAR_MSP + " may register an origin; this caller "
                    + "belongs to " + msp);
        }
        X509Certificate certificate = caller.getX509Certificate();
        String subject = certificate == null ? "" : certificate.getSubjectX500Principal().getName();
        boolean clientOrAdmin = java.util.Arrays.stream(subject.split(","))
                .anyMatch(part -> part.equals("OU=client") || part.equals("OU=admin"));
        if (!clientOrAdmin) {
            throw new AnchorRefused("only a client or admin identity of " + REGISTRAR_MSP + " may register an "
                    + "origin, not " + subject);
        }
    }

    /** The latest anchor of an origin as JSON, or an empty string when none. */
    @Transaction(name = "LatestAnchor", intent = Transaction.TYPE.EVALUATE)
    public String latestAnchor(Context ctx, String origin) {
        String json = ctx.getStub().getStringState(latestKey(origin));
        return json == null ? "" : json;
    }

    /** The first anchor covering a tree size (the smallest anchored size at or above it), or an empty string. */
    @Transaction(name = "AnchorAtOrAfter", intent = Transaction.TYPE.EVALUATE)
    public String anchorAtOrAfter(Context ctx, String origin, String treeSize) {
        List<String> found = range(ctx.getStub(), origin, parseSize(treeSize), 1);
        return found.isEmpty() ? "" : found.get(0);
    }

    /** Anchors of an origin from a tree size on, in order, at most {@value #MAX_HISTORY_PAGE} a page. */
    @Transaction(name = "AnchorHistory", intent = Transaction.TYPE.EVALUATE)
    public String anchorHistory(Context ctx, String origin, String fromTreeSize, String limit) {
        int max;
        try {
            max = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new AnchorRefused("limit must be a number");
        }
        if (max < 1 || max > MAX_HISTORY_PAGE) {
            throw new AnchorRefused("limit must be between 1 and " + MAX_HISTORY_PAGE);
        }
        JSONArray out = new JSONArray();
        for (String json : range(ctx.getStub(), origin, parseSize(fromTreeSize), max)) {
            out.put(new JSONObject(json));
        }
        return out.toString();
    }

    private static List<String> range(ChaincodeStub stub, String origin, long fromSize, int max) {
        List<String> out = new ArrayList<>();
        String end = "A" + SEP + origin + SEP + "~"; // '~' sorts after every digit
        try (QueryResultsIterator<KeyValue> results = stub.getStateByRange(anchorKey(origin, fromSize), end)) {
            for (KeyValue kv : results) {
                if (out.size() == max) {
                    break;
                }
                out.add(kv.getStringValue());
            }
        } catch (Exception e) {
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("range query failed", e);
        }
        return out;
    }

    /** The key that signs the origin's checkpoints of a tree size: the last one starting at or before it. */
    private static byte[] registeredKey(ChaincodeStub stub, String origin, long treeSize) {
        JSONArray keys = originRecord(stub, origin).getJSONArray("keys");
        String key = keys.getJSONObject(0).getString("publicKey");
        for (int i = 1; i < keys.length() && keys.getJSONObject(i).getLong("firstTreeSize") <= treeSize; i++) {
            key = keys.getJSONObject(i).getString("publicKey");
        }
        return Base64.getDecoder().decode(key);
    }

    /** The origin's record, with its keys (a registration older than key rotation holds one key, from size 0). */
    private static JSONObject originRecord(ChaincodeStub stub, String origin) {
        String json = stub.getStringState(originKey(origin));
        if (json == null || json.isEmpty()) {
            throw new AnchorRefused("origin " + origin + " is not registered: register its public key first");
        }
        JSONObject record = new JSONObject(json);
        if (!record.has("keys")) {
            record.put("keys", new JSONArray().put(new JSONObject().put("publicKey", record.getString("publicKey"))
                    .put("firstTreeSize", 0)));
        }
        return record;
    }

    private static void requireOrigin(String origin) {
        if (origin == null || origin.isEmpty() || origin.contains(SEP) || origin.contains("\n")) {
            throw new AnchorRefused("origin must be a non-empty single line");
        }
    }

    private static byte[] parseKey(String publicKeyBase64) {
        try {
            byte[] key = Base64.getDecoder().decode(publicKeyBase64);
            CheckpointNote.ed25519Key(key);
            return key;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new AnchorRefused("the public key is not a base64 raw Ed25519 key of 32 bytes");
        }
    }

    private static long parseSize(String treeSize) {
        long size;
        try {
            size = Long.parseLong(treeSize);
        } catch (NumberFormatException e) {
            throw new AnchorRefused("treeSize must be a decimal number, got '" + treeSize + "'");
        }
        if (size < 1) {
            throw new AnchorRefused("treeSize must be at least 1");
        }
        return size;
    }

    private static byte[] parseHash(String hex, String what) {
        try {
            byte[] hash = HEX.parseHex(hex);
            if (hash.length == 32) {
                return hash;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new AnchorRefused(what + " must be 64 hexadecimal characters");
    }

    private static List<byte[]> parseProof(String json) {
        List<byte[]> proof = new ArrayList<>();
        try {
            JSONArray array = new JSONArray(json == null || json.isEmpty() ? "[]" : json);
            for (int i = 0; i < array.length(); i++) {
                proof.add(parseHash(array.getString(i), "each consistency proof hash"));
            }
        } catch (JSONException e) {
            throw new AnchorRefused("consistencyProof must be a JSON array of hexadecimal hashes");
        }
        return proof;
    }

    static String originKey(String origin) {
        return "O" + SEP + origin;
    }

    static String latestKey(String origin) {
        return "L" + SEP + origin;
    }

    static String anchorKey(String origin, long size) {
        return "A" + SEP + origin + SEP + String.format("%020d", size);
    }
}
