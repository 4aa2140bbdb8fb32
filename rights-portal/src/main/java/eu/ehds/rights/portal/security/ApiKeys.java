package eu.ehds.rights.portal.security;

import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.common.Require;
import eu.ehds.rights.ledger.crypto.Sha256;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Data holders' API keys: issued by an admin, bound to one data holder, stored only as SHA-256, revocable.
 * A key reads {@code rlk_<key id>_<secret>} so that it can be recognised in a leaked log or a repository.
 */
@Service
public class ApiKeys {

    /** An issued key; {@code apiKey} is only known at issue time. */
    public record IssuedKey(String keyId, String dataHolder, String label, String apiKey) {
    }

    public record KeyInfo(String keyId, String dataHolder, String label, boolean revoked) {
    }

    private final JdbcClient jdbc;
    private final SecureRandom random = new SecureRandom();
    /**
     * Hash of a valid key -> its holder and when the entry was read. A revocation on this node clears it at once; one
     * on another node shows here within {@link #CACHE_NANOS}, the bound on how long a revoked key may still be used.
     */
    private final java.util.Map<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long CACHE_NANOS = 500_000_000L;

    private record Cached(String dataHolder, long readAt) {
    }

    public ApiKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Issues a key for a data holder. {@code createdBy} names who asked (a holder's account, or {@code staff:<name>});
     * a holder account's keys are revoked with it.
     */
    public IssuedKey issue(String dataHolder, String label, String createdBy) {
        String holder = Require.text(dataHolder, "dataHolder", 200);
        String cleanLabel = label == null || label.isBlank() ? "api key" : Require.text(label, "label", 200);
        String[] key = newKey("rlk_");
        String keyId = key[0];
        String apiKey = key[1];
        jdbc.sql("INSERT INTO api_key (key_id, key_hash, data_holder, label, created_by) VALUES (?, ?, ?, ?, ?)")
                .params(keyId, hash(apiKey), holder, cleanLabel, createdBy).update();
        return new IssuedKey(keyId, holder, cleanLabel, apiKey);
    }

    /** The data holder of a valid, unrevoked key. */
    public Optional<String> dataHolderOf(String apiKey) {
        if (apiKey == null || apiKey.length() > 200) {
            return Optional.empty();
        }
        String hash = hash(apiKey);
        Cached cached = cache.get(hash);
        if (cached != null && System.nanoTime() - cached.readAt() < CACHE_NANOS) {
            return Optional.of(cached.dataHolder());
        }
        Optional<String> holder = jdbc.sql("SELECT data_holder FROM api_key WHERE key_hash = ? AND revoked_at IS NULL")
                .param(hash).query(String.class).optional();
        // Valid keys are cached for half a second (another node's revocation shows within it); unknown ones
        // are not, so a flood of wrong keys cannot fill the cache.
        holder.ifPresentOrElse(h -> cache.put(hash, new Cached(h, System.nanoTime())), () -> cache.remove(hash));
        return holder;
    }

    /** A project's data user key as issued; {@code apiKey} is only known at issue time. */
    public record IssuedProjectKey(String keyId, String projectId, String label, String apiKey) {
    }

    /** Issues a data user's key for a project ({@code rpk_…}): it reports the project's significant findings. */
    public IssuedProjectKey issueForProject(String projectId, String label) {
        String project = Require.text(projectId, "projectId", 64);
        String cleanLabel = label == null || label.isBlank() ? "data user" : Require.text(label, "label", 200);
        String[] key = newKey("rpk_");
        String keyId = key[0];
        String apiKey = key[1];
        jdbc.sql("INSERT INTO project_api_key (key_id, key_hash, project_id, label) VALUES (?, ?, ?, ?)")
                .params(keyId, hash(apiKey), project, cleanLabel).update();
        return new IssuedProjectKey(keyId, project, cleanLabel, apiKey);
    }

    /** The project of a valid, unrevoked data user's key. */
    public Optional<String> projectOf(String apiKey) {
        if (apiKey == null || apiKey.length() > 200 || !apiKey.startsWith("rpk_")) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT project_id FROM project_api_key WHERE key_hash = ? AND revoked_at IS NULL")
                .param(hash(apiKey)).query(String.class).optional();
    }

    public void revokeForProject(String projectId, String keyId) {
        int updated = jdbc.sql("UPDATE project_api_key SET revoked_at = CURRENT_TIMESTAMP "
                        + "WHERE key_id = ? AND project_id = ? AND revoked_at IS NULL")
                .params(keyId, projectId).update();
        if (updated == 0) {
            throw new NotFoundException("no active API key '" + keyId + "'");
        }
    }

    public void revoke(String dataHolder, String keyId) {
        int updated = jdbc.sql("UPDATE api_key SET revoked_at = CURRENT_TIMESTAMP "
                        + "WHERE key_id = ? AND data_holder = ? AND revoked_at IS NULL")
                .params(keyId, dataHolder).update();
        if (updated == 0) {
            throw new NotFoundException("no active API key '" + keyId + "'");
        }
        cache.clear(); // keys are cached by hash, not id: drop them all, they are read again on next use
    }

    /** Revokes every key a holder's account created (the account was disabled or its password reset). */
    int revokeCreatedBy(String account) {
        int revoked = jdbc.sql("UPDATE api_key SET revoked_at = CURRENT_TIMESTAMP WHERE created_by = ? "
                + "AND revoked_at IS NULL").param(account).update();
        cache.clear();
        return revoked;
    }

    public List<KeyInfo> list(String dataHolder) {
        return jdbc.sql("SELECT key_id, data_holder, label, revoked_at FROM api_key WHERE data_holder = ? ORDER BY created_at")
                .param(dataHolder)
                .query((rs, n) -> new KeyInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4) != null))
                .list();
    }

    /** A new key id and key: {@code <prefix><key id>_<secret>}, recognisable in a leaked log or repository. */
    private String[] newKey(String prefix) {
        byte[] id = new byte[6];
        byte[] secret = new byte[24];
        random.nextBytes(id);
        random.nextBytes(secret);
        String keyId = HexFormat.of().formatHex(id);
        return new String[] {keyId, prefix + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret)};
    }

    private static String hash(String apiKey) {
        return Sha256.hex(apiKey);
    }
}
