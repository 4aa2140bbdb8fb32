package eu.ehds.rights.notifications.vault;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * Personal data that must be erasable while the log stays whole: clinical content of findings, contact details.
 * Each record is encrypted (AES-256-GCM) under a data key of its own, stored wrapped by the master key in another
 * table; {@link #shred} deletes the key and the ciphertext, after which the record cannot be read back even from a
 * backup of the ciphertext (crypto-shredding). The record id is authenticated with the data, so a ciphertext cannot be
 * moved under another id.
 *
 * <pre>{@code
 * vault.put("finding:f-1", bytes);
 * Optional<byte[]> back = vault.get("finding:f-1");
 * vault.shred("finding:f-1");
 * }</pre>
 */
public final class ContentVault {

    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final DataSource dataSource;
    private final SecretKeySpec master;
    private final SecureRandom random = new SecureRandom();

    public ContentVault(DataSource dataSource, byte[] masterKey) {
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("the vault's master key must have 32 bytes");
        }
        this.dataSource = dataSource;
        this.master = new SecretKeySpec(masterKey.clone(), "AES");
    }

    /** Stores (or replaces) a record under a fresh data key. */
    public void put(String recordId, byte[] plaintext) {
        byte[] dataKey = new byte[32];
        random.nextBytes(dataKey);
        byte[] wrapped = seal(master, dataKey, ("key:" + recordId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] sealed = seal(new SecretKeySpec(dataKey, "AES"), plaintext,
                recordId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] nonce = java.util.Arrays.copyOf(sealed, NONCE);
        byte[] ciphertext = java.util.Arrays.copyOfRange(sealed, NONCE, sealed.length);
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                delete(c, recordId);
                try (PreparedStatement k = c.prepareStatement("INSERT INTO vault_key (record_id, wrapped_key) VALUES (?, ?)");
                     PreparedStatement r = c.prepareStatement(
                             "INSERT INTO vault_record (record_id, nonce, ciphertext) VALUES (?, ?, ?)")) {
                    k.setString(1, recordId);
                    k.setBytes(2, wrapped);
                    k.executeUpdate();
                    r.setString(1, recordId);
                    r.setBytes(2, nonce);
                    r.setBytes(3, ciphertext);
                    r.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not store an encrypted record", e);
        }
    }

    /** The record, or empty if it was never stored or was shredded. */
    public Optional<byte[]> get(String recordId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT k.wrapped_key, r.nonce, r.ciphertext FROM vault_record r "
                     + "JOIN vault_key k ON k.record_id = r.record_id WHERE r.record_id = ?")) {
            q.setString(1, recordId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] dataKey = open(master, rs.getBytes(1),
                        ("key:" + recordId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                byte[] sealed = ByteBuffer.allocate(NONCE + rs.getBytes(3).length).put(rs.getBytes(2))
                        .put(rs.getBytes(3)).array();
                return Optional.of(open(new SecretKeySpec(dataKey, "AES"), sealed,
                        recordId.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
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

    /** A fingerprint of the master key (HMAC of a fixed label under it), for nodes to check they share it. */
    public String keyFingerprint() {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master.getEncoded(), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(
                    "rights-ledger notifications master key fingerprint".getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private byte[] seal(SecretKeySpec key, byte[] plaintext, byte[] associated) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated);
            byte[] ciphertext = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE + ciphertext.length).put(nonce).put(ciphertext).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private static byte[] open(SecretKeySpec key, byte[] sealed, byte[] associated) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
            cipher.updateAAD(associated);
            return cipher.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an encrypted record does not open with its key: altered or wrong key", e);
        }
    }
}
