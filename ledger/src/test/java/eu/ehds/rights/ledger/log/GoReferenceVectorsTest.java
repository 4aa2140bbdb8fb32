package eu.ehds.rights.ledger.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ehds.rights.ledger.checkpoint.CosignatureVerifier;
import eu.ehds.rights.ledger.checkpoint.InvalidNoteException;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Vectors written by the reference Go implementations (golang.org/x/mod/sumdb/note for signed notes,
 * github.com/transparency-dev/formats for a witness's cosignature,
 * github.com/transparency-dev/merkle for RFC 6962 roots and proofs) with the program in {@code src/test/go/vectors}:
 * the ledger must produce the same bytes and accept what they produce.
 */
class GoReferenceVectorsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static JsonNode vectors;
    private static MerkleTree tree;

    @BeforeAll
    static void givenTheReferenceVectorsAndATreeOfTheirLeaves() throws Exception {
        try (InputStream in = GoReferenceVectorsTest.class.getResourceAsStream("/vectors/go-reference.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
        tree = new MerkleTree();
        for (JsonNode leaf : vectors.get("leavesHex")) {
            tree.append(MerkleHashes.leafHash(HEX.parseHex(leaf.asText())));
        }
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(h -> out.add(HEX.parseHex(h.asText())));
        return out;
    }

    private static byte[] root(long size) {
        return HEX.parseHex(vectors.get("rootsBySize").get((int) size).asText());
    }

    @Test
    void verifies_a_witness_cosignature_made_by_transparency_dev_formats_and_refuses_it_altered_or_from_another_key() {
        JsonNode cosigned = vectors.get("cosigned");
        CosignatureVerifier witness = CosignatureVerifier.parse(cosigned.get("witnessVerifierKey").asText());
        String note = cosigned.get("note").asText();

        assertThat(witness.verify(note)).hasValueSatisfying(t -> assertThat(t).isPositive());
        JsonNode log = vectors.get("notes").get(0);
        assertThat(new NoteVerifier(log.get("name").asText(), NoteSigner.fromSeed(log.get("name").asText(),
                HEX.parseHex(log.get("seedHex").asText())).publicKey()).verify(note).treeSize()).isEqualTo(17);
        assertThatThrownBy(() -> witness.verify(note.replace("\n17\n", "\n18\n")))
                .isInstanceOf(InvalidNoteException.class).hasMessageContaining("does not match");
        assertThat(witness.verify(log.get("signed").asText())).as("the log's note alone").isEmpty();
        assertThatThrownBy(() -> CosignatureVerifier.parse(log.get("verifierKey").asText()))
                .as("a log's key is not a cosignature key").hasMessageContaining("type 0x04");
    }

    @Test
    void signs_notes_byte_for_byte_as_go_sumdb_note_and_verifies_its_notes() {
        assertThat(vectors.get("notes")).hasSize(2);
        for (JsonNode note : vectors.get("notes")) {
            NoteSigner signer = NoteSigner.fromSeed(note.get("name").asText(), HEX.parseHex(note.get("seedHex").asText()));

            assertThat(signer.verifierKey()).isEqualTo(note.get("verifierKey").asText());
            assertThat(signer.sign(note.get("text").asText())).isEqualTo(note.get("signed").asText());
            assertThat(new NoteVerifier(note.get("name").asText(), signer.publicKey())
                    .verifyText(note.get("signed").asText())).isEqualTo(note.get("text").asText());
        }
    }

    @Test
    void computes_the_roots_transparency_dev_computes_for_every_size() {
        for (int size = 0; size < vectors.get("rootsBySize").size(); size++) {
            assertThat(HEX.formatHex(size == 0 ? MerkleHashes.emptyRoot() : tree.root(size))).as("size %d", size)
                    .isEqualTo(HEX.formatHex(root(size)));
        }
    }

    @Test
    void gives_and_accepts_transparency_dev_inclusion_proofs() {
        assertThat(vectors.get("inclusions")).hasSizeGreaterThan(20);
        for (JsonNode v : vectors.get("inclusions")) {
            long index = v.get("index").asLong();
            long size = v.get("size").asLong();
            List<byte[]> path = hashes(v.get("path"));

            assertThat(tree.inclusionProof(index, size)).as("leaf %d of %d", index, size)
                    .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(path);
            assertThat(ProofVerifier.verifyInclusion(HEX.parseHex(v.get("leafHash").asText()), index, size, path,
                    root(size))).isTrue();
        }
    }

    @Test
    void gives_and_accepts_transparency_dev_consistency_proofs() {
        assertThat(vectors.get("consistencies")).hasSizeGreaterThan(5);
        for (JsonNode v : vectors.get("consistencies")) {
            long first = v.get("first").asLong();
            long second = v.get("second").asLong();
            List<byte[]> proof = hashes(v.get("proof"));

            assertThat(tree.consistencyProof(first, second)).as("%d to %d", first, second)
                    .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(proof);
            assertThat(ProofVerifier.verifyConsistency(first, second, proof, root(first), root(second))).isTrue();
        }
    }
}
