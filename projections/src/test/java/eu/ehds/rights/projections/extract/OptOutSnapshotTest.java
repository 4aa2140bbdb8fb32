package eu.ehds.rights.projections.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.ehds.rights.ledger.checkpoint.InvalidNoteException;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptOutSnapshotTest {

    private static final String ORIGIN = "rights-ledger.test/log";

    private final NoteSigner signer = NoteSigner.fromSeed(ORIGIN, new byte[32]);
    private final NoteVerifier verifier = new NoteVerifier(ORIGIN, signer.publicKey());

    private byte[] anySnapshot() throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("project", "prj-1");
        fields.put("validUntil", "2026-11-24T00:00:00Z");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OptOutSnapshot.write(fields, PseudonymSet.of(new long[] {3, -1, 42}), signer, out);
        return out.toByteArray();
    }

    @Test
    void round_trips_the_set_and_its_signed_statements() throws Exception {
        OptOutSnapshot snapshot = OptOutSnapshot.read(new ByteArrayInputStream(anySnapshot()), verifier);
        assertThat(snapshot.field("project")).isEqualTo("prj-1");
        assertThat(snapshot.field("count")).isEqualTo("3");
        assertThat(snapshot.persons().contains(-1)).isTrue();
        assertThat(snapshot.persons().contains(4)).isFalse();
    }

    @Test
    void refuses_a_snapshot_whose_keys_were_changed() throws Exception {
        byte[] bytes = anySnapshot();
        bytes[bytes.length - 1] ^= 1;
        assertThatThrownBy(() -> OptOutSnapshot.read(new ByteArrayInputStream(bytes), verifier))
                .isInstanceOf(InvalidNoteException.class).hasMessageContaining("signed hash");
    }

    @Test
    void refuses_a_snapshot_with_keys_removed_or_a_changed_statement() throws Exception {
        byte[] bytes = anySnapshot();
        assertThatThrownBy(() -> OptOutSnapshot.read(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 8)),
                verifier)).isInstanceOf(InvalidNoteException.class);
        byte[] edited = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("prj-1", "prj-2")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> OptOutSnapshot.read(new ByteArrayInputStream(edited), verifier))
                .isInstanceOf(InvalidNoteException.class).hasMessageContaining("does not match");
    }

    @Test
    void refuses_a_snapshot_signed_by_another_key() throws Exception {
        byte[] seed = new byte[32];
        seed[0] = 1;
        NoteVerifier other = new NoteVerifier(ORIGIN, NoteSigner.fromSeed(ORIGIN, seed).publicKey());
        assertThatThrownBy(() -> OptOutSnapshot.read(new ByteArrayInputStream(anySnapshot()), other))
                .isInstanceOf(InvalidNoteException.class);
    }

    @Test
    void a_consent_snapshot_delivers_only_its_persons_and_says_so_in_its_signed_title() throws Exception {
        String consenting = "0123456789abcdef0123456789abcdef";
        String other = "fedcba9876543210fedcba9876543210";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OptOutSnapshot.write(new LinkedHashMap<>(Map.of("project", "prj-cohort")),
                PseudonymSet.of(new long[] {PseudonymSet.key(consenting)}), true, signer, out);

        OptOutSnapshot snapshot = OptOutSnapshot.read(new ByteArrayInputStream(out.toByteArray()), verifier);
        ByteArrayOutputStream delivered = new ByteArrayOutputStream();
        FilterOutcome outcome = snapshot.filter(null).filter(new ByteArrayInputStream((consenting + "\n" + other
                + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)), delivered, (line, message) -> { },
                null, null);

        assertThat(snapshot.onlyListed()).isTrue();
        assertThat(new String(out.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains(OptOutSnapshot.CONSENT_TITLE).doesNotContain(OptOutSnapshot.TITLE);
        assertThat(outcome.allowed()).isEqualTo(1);
        assertThat(outcome.excluded()).isEqualTo(1);
        assertThat(delivered.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(consenting + "\n");
    }

    @Test
    void an_empty_consent_set_delivers_nobody() throws Exception {
        ByteArrayOutputStream delivered = new ByteArrayOutputStream();
        FilterOutcome outcome = ExtractFilter.onlyFor(PseudonymSet.of(new long[0]), null).filter(
                new ByteArrayInputStream("0123456789abcdef0123456789abcdef\n".getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII)), delivered, (line, message) -> { }, null, null);

        assertThat(outcome.allowed()).isZero();
        assertThat(outcome.excluded()).isEqualTo(1);
        assertThat(delivered.size()).isZero();
    }
}
