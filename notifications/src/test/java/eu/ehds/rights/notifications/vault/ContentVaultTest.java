package eu.ehds.rights.notifications.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.ehds.rights.notifications.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContentVaultTest {

    private DataSource db;
    private ContentVault vault;

    @BeforeEach
    void givenAnEmptyVault() {
        db = TestDatabase.fresh();
        vault = new ContentVault(db, new byte[32]);
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
        byte[] other = new byte[32];
        other[0] = 1;

        assertThatThrownBy(() -> new ContentVault(db, other).get("contact:a")).isInstanceOf(IllegalStateException.class);
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
