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

    /** RFC 8032, section 7.1, tests 1 and 2: the public key and the signature a seed must give. */
    @Test
    void derives_the_public_key_and_signs_as_rfc_8032_test_vectors_say() {
        java.util.HexFormat hex = java.util.HexFormat.of();
        NoteSigner first = NoteSigner.fromSeed(ORIGIN,
                hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertThat(hex.formatHex(first.publicKey()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(hex.formatHex(first.signBytes(new byte[0]))).isEqualTo("e5564300c360ac729086e2cc806e828a"
                + "84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        NoteSigner second = NoteSigner.fromSeed(ORIGIN,
                hex.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
        assertThat(hex.formatHex(second.publicKey()))
                .isEqualTo("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        assertThat(hex.formatHex(second.signBytes(new byte[] {0x72}))).isEqualTo("92a009a9f0d4cab8720e820b5f642540"
                + "a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
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

    @Test
    void given_a_key_history_then_each_key_verifies_the_tree_sizes_it_signed_and_no_other() {
        NoteSigner first = NoteSigner.fromSeed(ORIGIN, seed(1));
        NoteSigner second = NoteSigner.fromSeed(ORIGIN, seed(2));
        NoteSigner third = NoteSigner.fromSeed(ORIGIN, seed(3));
        NoteVerifier history = new NoteVerifier(ORIGIN, java.util.List.of(
                new LogKey(b64(first), 0, 10L), new LogKey(b64(second), 11, 20L), new LogKey(b64(third), 21, null)));

        assertThat(history.verify(first.sign(checkpointOf(10).text())).treeSize()).isEqualTo(10);
        assertThat(history.verify(second.sign(checkpointOf(11).text())).treeSize()).isEqualTo(11);
        assertThat(history.verify(third.sign(checkpointOf(1_000).text())).treeSize()).isEqualTo(1_000);
        assertThatThrownBy(() -> history.verify(first.sign(checkpointOf(11).text())))
                .as("a retired key signing past its last size").isInstanceOf(InvalidNoteException.class)
                .hasMessageContaining("which signed tree sizes 0 to 10 only");
        assertThatThrownBy(() -> history.verify(third.sign(checkpointOf(20).text())))
                .isInstanceOf(InvalidNoteException.class).hasMessageContaining("tree sizes from 21");
        assertThatThrownBy(() -> history.verify(NoteSigner.fromSeed(ORIGIN, seed(4)).sign(checkpointOf(5).text())))
                .isInstanceOf(InvalidNoteException.class).hasMessageContaining("any of its 3 keys");
    }

    @Test
    void given_a_key_history_then_documents_and_notes_signed_by_any_of_its_keys_verify() {
        NoteSigner first = NoteSigner.fromSeed(ORIGIN, seed(1));
        NoteSigner second = NoteSigner.fromSeed(ORIGIN, seed(2));
        NoteVerifier history = new NoteVerifier(ORIGIN, java.util.List.of(new LogKey(b64(first), 0, 10L),
                new LogKey(b64(second), 11, null)));
        byte[] document = "a filter certificate".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(history.verifyBytes(document, first.signBytes(document))).isTrue();
        assertThat(history.verifyBytes(document, second.signBytes(document))).isTrue();
        assertThat(history.verifyBytes(document, NoteSigner.fromSeed(ORIGIN, seed(3)).signBytes(document))).isFalse();
        assertThat(history.verifyText(first.sign("an opt-out snapshot\n"))).isEqualTo("an opt-out snapshot\n");
    }

    private static Checkpoint checkpointOf(long size) {
        return new Checkpoint(ORIGIN, size, new byte[32]);
    }

    private static String b64(NoteSigner signer) {
        return Base64.getEncoder().encodeToString(signer.publicKey());
    }
}
