package eu.ehds.rights.portal.cluster;

import eu.ehds.rights.ledger.checkpoint.LogKey;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.notifications.vault.ContentVault;
import eu.ehds.rights.portal.holder.DecisionProperties;
import eu.ehds.rights.portal.ledger.LogKeys;
import eu.ehds.rights.portal.notification.MasterKeyset;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.stereotype.Component;

/**
 * The settings every node of one database must share, checked at start. The first node records them (fingerprints of
 * the keys, never the keys); a node whose settings differ refuses to start, naming each difference and what to do.
 * Without it, a node with another pseudonymisation key would store opt-outs under pseudonyms the others never compute
 * and answer "allowed" for them; another notifications key could not open the others' notices; another signing key or
 * origin would sign checkpoints nobody can verify; another decision rule would answer differently.
 */
@Component
@DependsOnDatabaseInitialization
public class SharedSettings {

    private static final Logger LOG = LoggerFactory.getLogger(SharedSettings.class);
    private static final String VAULT_KEYSET = "notifications master key";
    private static final String SIGNING_KEY = "checkpoint signing key";

    /** A setting as this node has it, and what to tell the operator when it differs (values shown if not secret). */
    private record Setting(String value, String remedy, boolean shown) {
        Setting(String value, String remedy) {
            this(value, remedy, false);
        }
    }

    SharedSettings(DataSource dataSource, Pseudonymiser pseudonymiser, NoteSigner signer, ContentVault vault,
                   DecisionProperties decisions, LogKeys keys) {
        Map<String, Setting> mine = new LinkedHashMap<>();
        mine.put("pseudonymisation key", new Setting(pseudonymiser.keyFingerprint(),
                "give this node the same LEDGER_PSEUDONYM_KEY as the others"));
        mine.put(VAULT_KEYSET, new Setting(vault.keyFingerprint(), "give this node the notifications master keyset "
                + "the others have (NOTIFICATIONS_MASTER_KEYSET, NOTIFICATIONS_MASTER_KEY, or the file " + MasterKeyset.FILE
                + "; after a `vault-key` step, the new one)"));
        mine.put("log origin", new Setting(signer.keyName(),
                "set LEDGER_LOG_ORIGIN back to the origin this log was created with: it is the log's identity, named "
                        + "in every checkpoint and anchor, and never changes (a new origin is a new log, in an empty "
                        + "database)", true));
        mine.put(SIGNING_KEY, new Setting(HexFormat.of().formatHex(signer.publicKey()),
                "give this node the LEDGER_SIGNING_KEY the log signs with now (after a rotation, the new one; "
                        + "GET /api/v1/log/keys lists the keys). A key is not rotated by changing it: stop every "
                        + "node and run `signing-key rotate` with the current key, which records the rotation in "
                        + "the log so that everything signed before stays verifiable"));
        mine.put("decision rule", new Setting(decisions.rule().name(),
                "set DECISIONS_RULE to the rule the other nodes apply"));
        List<String> differences = new ArrayList<>();
        List<LogKey> history = keys.history();
        LogKey current = history.get(history.size() - 1);
        String mineKey = Base64.getEncoder().encodeToString(signer.publicKey());
        // the key a rotation recorded in the log: its fingerprint may lag if the rotation was interrupted before
        boolean rotatedTo = history.size() > 1 && current.publicKey().equals(mineKey);
        try (Connection c = dataSource.getConnection()) {
            Map<String, String> recorded = recorded(c);
            for (Map.Entry<String, Setting> setting : mine.entrySet()) {
                String stored = recorded.get(setting.getKey());
                if (stored == null) {
                    record(c, setting.getKey(), setting.getValue().value());
                } else if (!stored.equals(setting.getValue().value()) && setting.getKey().equals(SIGNING_KEY)
                        && rotatedTo) {
                    signingKeyRotated(dataSource, signer);
                    LOG.warn("the shared settings named the key before the last rotation: recorded the current one");
                } else if (!stored.equals(setting.getValue().value())) {
                    Setting s = setting.getValue();
                    differences.add("this node's " + setting.getKey() + (s.shown() ? " (" + s.value() + ")" : "")
                            + " differs from the one recorded in the database" + (s.shown() ? " (" + stored + ")" : "")
                            + ": " + s.remedy());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the shared settings from the database", e);
        }
        if (differences.isEmpty() && !current.publicKey().equals(mineKey)) {
            differences.add("this node's checkpoint signing key was retired: the log is signed by " + current.publicKey()
                    + " from tree size " + current.firstTreeSize() + " (GET /api/v1/log/keys); give this node the "
                    + "current LEDGER_SIGNING_KEY (after an interrupted `signing-key rotate`, the new key is in the "
                    + "data directory's checkpoint-signing.key.next)");
        }
        if (!differences.isEmpty()) {
            throw new IllegalStateException("this node's settings differ from those of the database it shares: "
                    + String.join("; ", differences));
        }
        LOG.info("shared settings agree with the database: {}", String.join(", ", mine.keySet()));
    }

    /** Records the vault's keyset after a rotation: from then on, nodes start with the new keyset only. */
    public static void vaultKeysetRotated(DataSource dataSource, ContentVault rotated) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE shared_setting SET fingerprint = ? WHERE name = ?")) {
            update.setString(1, rotated.keyFingerprint());
            update.setString(2, VAULT_KEYSET);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the rotated keyset in the shared settings", e);
        }
    }

    /** Records the log's new signing key after a rotation: from then on, nodes start with the new key only. */
    public static void signingKeyRotated(DataSource dataSource, NoteSigner next) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE shared_setting SET fingerprint = ? WHERE name = ?")) {
            update.setString(1, HexFormat.of().formatHex(next.publicKey()));
            update.setString(2, SIGNING_KEY);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the new signing key in the shared settings", e);
        }
    }

    private static Map<String, String> recorded(Connection c) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT name, fingerprint FROM shared_setting");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static void record(Connection c, String name, String value) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO shared_setting (name, fingerprint) VALUES (?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, value);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) { // two nodes starting together: the first one's stands
                throw e;
            }
            String stored = recorded(c).get(name);
            if (!value.equals(stored)) {
                throw new IllegalStateException("this node's " + name + " differs from the one another node "
                        + "recorded while both were starting: give every node the same settings");
            }
        }
    }
}
