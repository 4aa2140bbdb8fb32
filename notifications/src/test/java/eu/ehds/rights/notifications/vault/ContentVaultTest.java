package eu.ehds.rights.notifications.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import eu.ehds.rights.notifications.TestDatabase;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContentVaultTest {

    private DataSource db;
    private KeysetHandle master;
    private ContentVault vault;

    @BeforeEach
    void givenAnEmptyVault() {
        db = TestDatabase.fresh();
        master = VaultKeys.generate();
        vault = new ContentVault(db, master);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_record_reads_back_and_is_not_stored_in_clear() throws Exception {
        vault.put("finding:f-1", text("HbA1c 11.2 %, see a diabetologist"));

        assertThat(vault.get("finding:f-1")).hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8))
                .isEqualTo("HbA1c 11.2 %, see a diabetologist"));
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT ciphertext FROM vault_record WHERE record_id = 'finding:f-1'"); ResultSet rs = q.executeQuery()) {
            rs.next();
            assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain("HbA1c");
        }
    }

    @Test
    void a_shredded_record_is_gone_and_others_stay() {
        vault.put("contact:a", text("a@example.org"));
        vault.put("contact:b", text("b@example.org"));

        assertThat(vault.shred("contact:a")).isTrue();

        assertThat(vault.get("contact:a")).isEmpty();
        assertThat(vault.get("contact:b")).isPresent();
        assertThat(vault.shred("contact:a")).isFalse();
    }

    @Test
    void a_ciphertext_moved_under_another_record_id_does_not_open() throws Exception {
        vault.put("contact:a", text("a@example.org"));
        vault.put("contact:b", text("b@example.org"));
        try (Connection c = db.getConnection(); PreparedStatement u = c.prepareStatement("UPDATE vault_record SET "
                + "ciphertext = (SELECT ciphertext FROM vault_record WHERE record_id = 'contact:a'), "
                + "nonce = (SELECT nonce FROM vault_record WHERE record_id = 'contact:a') WHERE record_id = 'contact:b'")) {
            u.executeUpdate();
        }

        assertThatThrownBy(() -> vault.get("contact:b")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not open");
    }

    @Test
    void another_master_key_cannot_read_the_records() {
        vault.put("contact:a", text("a@example.org"));

        assertThatThrownBy(() -> new ContentVault(db, VaultKeys.generate()).get("contact:a"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void after_a_master_key_rotation_every_record_reads_back_and_the_old_key_retires_once_rewrapped() {
        vault.put("contact:a", text("a@example.org"));
        vault.put("contact:b", text("b@example.org"));
        int oldKey = master.getPrimary().getId();

        KeysetHandle added = VaultKeys.add(master);
        ContentVault onlyAdded = new ContentVault(db, added);
        onlyAdded.put("contact:d", text("d@example.org"));
        assertThat(vault.get("contact:d")).isPresent(); // a node not restarted yet still opens it
        KeysetHandle rotated = VaultKeys.promote(added, added.getAt(1).getId());
        ContentVault afterRotation = new ContentVault(db, rotated);
        afterRotation.put("contact:c", text("c@example.org"));

        assertThat(afterRotation.get("contact:a")).hasValueSatisfying(b -> assertThat(b).isEqualTo(text("a@example.org")));
        assertThat(afterRotation.rewrap()).isEqualTo(4);
        ContentVault retired = new ContentVault(db, VaultKeys.retire(rotated, oldKey));
        assertThat(retired.get("contact:a")).hasValueSatisfying(b -> assertThat(b).isEqualTo(text("a@example.org")));
        assertThat(retired.get("contact:c")).hasValueSatisfying(b -> assertThat(b).isEqualTo(text("c@example.org")));
        assertThatThrownBy(() -> vault.get("contact:a")).isInstanceOf(IllegalStateException.class); // old key alone
        assertThat(retired.shred("contact:b")).isTrue();
        assertThat(retired.get("contact:b")).isEmpty();
    }

    @Test
    void retiring_a_key_before_rewrapping_makes_its_records_unreadable_so_rewrap_comes_first() {
        vault.put("contact:a", text("a@example.org"));
        KeysetHandle rotated = rotate(master);

        ContentVault tooEarly = new ContentVault(db, VaultKeys.retire(rotated, master.getPrimary().getId()));

        assertThatThrownBy(() -> tooEarly.get("contact:a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> VaultKeys.retire(rotated, rotated.getPrimary().getId()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("primary");
    }

    @Test
    void records_of_the_raw_format_open_under_their_raw_master_key_and_move_to_tink_when_rewrapped() throws Exception {
        byte[] rawMaster = new byte[32];
        rawMaster[5] = 7;
        byte[] dataKey = new byte[32];
        dataKey[9] = 3;
        try (Connection c = db.getConnection();
             PreparedStatement k = c.prepareStatement("INSERT INTO vault_key (record_id, wrapped_key) VALUES (?, ?)");
             PreparedStatement r = c.prepareStatement(
                     "INSERT INTO vault_record (record_id, nonce, ciphertext) VALUES (?, ?, ?)")) {
            k.setString(1, "contact:old");
            k.setBytes(2, sealRaw(rawMaster, dataKey, text("key:contact:old")));
            k.executeUpdate();
            byte[] sealed = sealRaw(dataKey, text("old@example.org"), text("contact:old"));
            r.setString(1, "contact:old");
            r.setBytes(2, Arrays.copyOf(sealed, 12));
            r.setBytes(3, Arrays.copyOfRange(sealed, 12, sealed.length));
            r.executeUpdate();
        }
        KeysetHandle legacy = VaultKeys.fromRawKey(rawMaster);
        ContentVault upgraded = new ContentVault(db, legacy);

        assertThat(upgraded.get("contact:old")).hasValueSatisfying(b -> assertThat(b).isEqualTo(text("old@example.org")));
        KeysetHandle rotated = rotate(legacy);
        assertThat(new ContentVault(db, rotated).rewrap()).isEqualTo(1);
        ContentVault modern = new ContentVault(db, VaultKeys.retire(rotated, legacy.getPrimary().getId()));
        assertThat(modern.get("contact:old")).hasValueSatisfying(b -> assertThat(b).isEqualTo(text("old@example.org")));
        assertThat(VaultKeys.fromRawKey(rawMaster).getPrimary().getId()).isEqualTo(legacy.getPrimary().getId());
    }

    @Test
    void a_keyset_survives_its_json_form_and_nodes_compare_it_by_fingerprint() {
        KeysetHandle back = VaultKeys.parseJson(VaultKeys.toJson(master));

        assertThat(new ContentVault(db, back).keyFingerprint()).isEqualTo(vault.keyFingerprint());
        assertThat(new ContentVault(db, rotate(master)).keyFingerprint()).isNotEqualTo(vault.keyFingerprint());
    }

    private static KeysetHandle rotate(KeysetHandle keyset) {
        KeysetHandle added = VaultKeys.add(keyset);
        return VaultKeys.promote(added, added.getAt(added.size() - 1).getId());
    }

    /** The format the vault wrote before it used Tink: a random nonce, then AES-256-GCM with associated data. */
    private static byte[] sealRaw(byte[] key, byte[] plaintext, byte[] associated) throws Exception {
        byte[] nonce = new byte[12];
        new java.security.SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(associated);
        byte[] ciphertext = cipher.doFinal(plaintext);
        return ByteBuffer.allocate(12 + ciphertext.length).put(nonce).put(ciphertext).array();
    }

    @Test
    void a_finding_commits_to_its_content_with_a_salt() {
        FindingContent a = FindingContent.of("summary", "notice");
        FindingContent b = FindingContent.of("summary", "notice");

        assertThat(a.commitment()).hasSize(64).isNotEqualTo(b.commitment()); // salted: equal texts, other hashes
        assertThat(a.withProfessional("Dr Roux", "roux@example.org").commitment()).isEqualTo(a.commitment());
        a.store(vault, "f-1");
        assertThat(FindingContent.load(vault, "f-1")).contains(a);
    }
}
