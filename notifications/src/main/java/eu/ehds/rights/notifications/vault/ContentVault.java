package eu.ehds.rights.notifications.vault;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import eu.ehds.rights.ledger.crypto.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Personal data that must be erasable while the log stays whole: clinical content of findings, contact details.
 * Each record is encrypted (Tink AEAD, AES-256-GCM) under a data key of its own, stored wrapped by the master keyset
 * in another table; {@link #shred} deletes the key and the ciphertext, after which the record cannot be read back
 * even from a backup of the ciphertext (crypto-shredding). The record id is authenticated with the data, so a
 * ciphertext cannot be moved under another id.
 *
 * <p>The master keyset may hold several keys: the primary wraps new data keys, the others still unwrap old ones, so
 * the master key rotates without making any record unreadable. {@link #rewrap} then wraps every data key under the
 * primary, after which the old master keys can be retired. Records written before the vault used Tink (a raw
 * AES-GCM data key wrapped by a raw 32-byte master key) open when that master key is in the keyset, as a key without
 * output prefix ({@link VaultKeys#fromRawKey}); {@link #rewrap} moves them to the current format.
 *
 * <pre>{@code
 * vault.put("finding:f-1", bytes);
 * Optional<byte[]> back = vault.get("finding:f-1");
 * vault.shred("finding:f-1");
 * }</pre>
 */
public final class ContentVault {

    /** A raw AES-GCM data key wrapped by the raw master key, and a record sealed as nonce then ciphertext. */
    static final int FORMAT_RAW = 1;
    /** A Tink keyset wrapped by the master keyset, and a record in Tink's ciphertext format. */
    static final int FORMAT_TINK = 2;
    private static final int NONCE = 12;

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DataSource dataSource;
    private final KeysetHandle master;
    private final Aead masterAead;

    public ContentVault(DataSource dataSource, KeysetHandle master) {
        this.dataSource = dataSource;
        this.master = master;
        this.masterAead = aead(master);
    }

    /** Stores (or replaces) a record under a fresh data key. */
    public void put(String recordId, byte[] plaintext) {
        byte[] wrapped;
        byte[] ciphertext;
        try {
            KeysetHandle dataKey = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(dataKey, masterAead, keyContext(recordId));
            ciphertext = aead(dataKey).encrypt(plaintext, recordContext(recordId));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt a record", e);
        }
        inTransaction("could not store an encrypted record", c -> {
            delete(c, recordId);
            try (PreparedStatement k = c.prepareStatement(
                    "INSERT INTO vault_key (record_id, wrapped_key, key_format) VALUES (?, ?, ?)");
                 PreparedStatement r = c.prepareStatement(
                         "INSERT INTO vault_record (record_id, nonce, ciphertext) VALUES (?, ?, ?)")) {
                k.setString(1, recordId);
                k.setBytes(2, wrapped);
                k.setInt(3, FORMAT_TINK);
                k.executeUpdate();
                r.setString(1, recordId);
                r.setBytes(2, new byte[0]); // the nonce is inside Tink's ciphertext
                r.setBytes(3, ciphertext);
                r.executeUpdate();
            }
            return null;
        });
    }

    /** The record, or empty if it was never stored or was shredded. */
    public Optional<byte[]> get(String recordId) {
        try (Connection c = dataSource.getConnection()) {
            return read(c, recordId, false).map(Stored::plaintext);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read an encrypted record", e);
        }
    }

    /** Erases a record for good: its key and its ciphertext. True if there was one. */
    public boolean shred(String recordId) {
        try (Connection c = dataSource.getConnection()) {
            return delete(c, recordId);
        } catch (SQLException e) {
            throw new IllegalStateException("could not erase an encrypted record", e);
        }
    }

    /**
     * Wraps every data key under the master keyset's primary key (and moves records of the raw format to Tink's), so
     * that the other master keys can be retired. A record replaced or shredded meanwhile is left as it is. Returns the
     * number of records re-wrapped.
     */
    public int rewrap() {
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT record_id FROM vault_key ORDER BY record_id");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not list the vault's keys", e);
        }
        int done = 0;
        for (String id : ids) {
            Boolean rewrapped = inTransaction("could not re-wrap a data key", c -> rewrap(c, id));
            done += rewrapped ? 1 : 0;
        }
        return done;
    }

    private boolean rewrap(Connection c, String recordId) throws SQLException {
        Optional<Stored> stored = read(c, recordId, true);
        if (stored.isEmpty()) {
            return false;
        }
        try {
            KeysetHandle dataKey = stored.get().format() == FORMAT_TINK ? stored.get().dataKey()
                    : KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(dataKey, masterAead, keyContext(recordId));
            try (PreparedStatement k = c.prepareStatement(
                    "UPDATE vault_key SET wrapped_key = ?, key_format = ? WHERE record_id = ?")) {
                k.setBytes(1, wrapped);
                k.setInt(2, FORMAT_TINK);
                k.setString(3, recordId);
                k.executeUpdate();
            }
            if (stored.get().format() != FORMAT_TINK) {
                try (PreparedStatement r = c.prepareStatement(
                        "UPDATE vault_record SET nonce = ?, ciphertext = ? WHERE record_id = ?")) {
                    r.setBytes(1, new byte[0]);
                    r.setBytes(2, aead(dataKey).encrypt(stored.get().plaintext(), recordContext(recordId)));
                    r.setString(3, recordId);
                    r.executeUpdate();
                }
            }
            return true;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not re-wrap the data key of a record", e);
        }
    }

    private record Stored(int format, KeysetHandle dataKey, byte[] plaintext) {
    }

    /** Reads and opens a record; {@code lock} holds its key row until the transaction ends. */
    private Optional<Stored> read(Connection c, String recordId, boolean lock) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT k.key_format, k.wrapped_key, r.nonce, r.ciphertext "
                + "FROM vault_record r JOIN vault_key k ON k.record_id = r.record_id WHERE r.record_id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            q.setString(1, recordId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int format = rs.getInt(1);
                byte[] wrapped = rs.getBytes(2);
                byte[] nonce = rs.getBytes(3);
                byte[] ciphertext = rs.getBytes(4);
                if (format == FORMAT_TINK) {
                    KeysetHandle dataKey = TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, masterAead,
                            keyContext(recordId));
                    return Optional.of(new Stored(format, dataKey,
                            aead(dataKey).decrypt(ciphertext, recordContext(recordId))));
                }
                KeysetHandle dataKey = VaultKeys.fromRawKey(masterAead.decrypt(wrapped, keyContext(recordId)));
                byte[] sealed = ByteBuffer.allocate(nonce.length + ciphertext.length).put(nonce).put(ciphertext)
                        .array();
                return Optional.of(new Stored(format, dataKey,
                        aead(dataKey).decrypt(sealed, recordContext(recordId))));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an encrypted record does not open with its key: altered or wrong key", e);
        }
    }

    private static boolean delete(Connection c, String recordId) throws SQLException {
        try (PreparedStatement k = c.prepareStatement("DELETE FROM vault_key WHERE record_id = ?");
             PreparedStatement r = c.prepareStatement("DELETE FROM vault_record WHERE record_id = ?")) {
            k.setString(1, recordId);
            int keys = k.executeUpdate(); // the key first: without it the ciphertext is noise
            r.setString(1, recordId);
            r.executeUpdate();
            return keys > 0;
        }
    }

    /** A fingerprint of the master keyset (a hash of it under a fixed label), for nodes to check they share it. */
    public String keyFingerprint() {
        byte[] keyset;
        try {
            keyset = TinkProtoKeysetFormat.serializeKeyset(master, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the master keyset", e);
        }
        byte[] label = "rights-ledger notifications master keyset fingerprint".getBytes(StandardCharsets.UTF_8);
        return Sha256.hex(ByteBuffer.allocate(label.length + keyset.length).put(label).put(keyset).array());
    }

    private static byte[] keyContext(String recordId) {
        return ("key:" + recordId).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] recordContext(String recordId) {
        return recordId.getBytes(StandardCharsets.UTF_8);
    }

    private static Aead aead(KeysetHandle keyset) {
        try {
            return keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the keyset is not an AEAD keyset", e);
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(String failure, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(failure, e);
        }
    }
}
