package eu.ehds.rights.ledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class NoteSignerTest {

    private static final String ORIGIN = "rights-ledger.test/log";

    private static byte[] seed(int fill) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) fill);
        return seed;
    }

    private static Checkpoint anyCheckpoint() {
        byte[] root = new byte[32];
        root[0] = 42;
        return new Checkpoint(ORIGIN, 17, root);
    }

    @Test
    void writes_a_c2sp_signed_checkpoint_that_verifies() {
        NoteSigner signer = NoteSigner.fromSeed(ORIGIN, seed(1));
        String note = signer.sign(anyCheckpoint().text());

        String[] lines = note.split("\n", -1);
        assertThat(lines[0]).isEqualTo(ORIGIN);
        assertThat(lines[1]).isEqualTo("17");
        assertThat(Base64.getDecoder().decode(lines[2])).hasSize(32);
        assertThat(lines[3]).isEmpty();
        assertThat(lines[4]).startsWith("\u2014 " + ORIGIN + " ");
        assertThat(Base64.getDecoder().decode(lines[4].substring(lines[4].lastIndexOf(' ') + 1))).hasSize(68);

        Checkpoint verified = new NoteVerifier(ORIGIN, signer.publicKey()).verify(note);
        assertThat(verified.treeSize()).isEqualTo(17);
        assertThat(verified.rootHash()).isEqualTo(anyCheckpoint().rootHash());
    }

    @Test
    void rebuilds_the_same_key_from_the_same_seed() {
        assertThat(NoteSigner.fromSeed(ORIGIN, seed(3)).publicKey()).isEqualTo(NoteSigner.fromSeed(ORIGIN, seed(3)).publicKey());
        assertThat(NoteSigner.fromSeed(ORIGIN, seed(3)).publicKey()).isNotEqualTo(NoteSigner.fromSeed(ORIGIN, seed(4)).publicKey());
    }

    @Test
    void publishes_a_verifier_key_with_the_key_id() {
        NoteSigner signer = NoteSigner.fromSeed(ORIGIN, seed(1));
        String[] parts = signer.verifierKey().split("\\+");
        assertThat(parts[0]).isEqualTo(ORIGIN);
        assertThat(parts[1]).matches("[0-9a-f]{8}");
        byte[] typed = Base64.getDecoder().decode(parts[2]);
        assertThat(typed[0]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(typed, 1, 33)).isEqualTo(signer.publicKey());
    }

    @Test
    void rejects_an_altered_note() {
        NoteSigner signer = NoteSigner.fromSeed(ORIGIN, seed(1));
        String note = signer.sign(anyCheckpoint().text()).replace("\n17\n", "\n18\n");
        assertThatThrownBy(() -> new NoteVerifier(ORIGIN, signer.publicKey()).verify(note))
                .isInstanceOf(InvalidNoteException.class).hasMessageContaining("does not match");
    }

    @Test
    void rejects_a_note_signed_by_another_key() {
        String note = NoteSigner.fromSeed(ORIGIN, seed(2)).sign(anyCheckpoint().text());
        NoteSigner expected = NoteSigner.fromSeed(ORIGIN, seed(1));
        assertThatThrownBy(() -> new NoteVerifier(ORIGIN, expected.publicKey()).verify(note))
                .isInstanceOf(InvalidNoteException.class).hasMessageContaining("no signature");
    }
}
