package eu.ehds.rights.ledger.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    private static final HexFormat HEX = HexFormat.of();

    /** RFC 6962 test inputs, as used by Certificate Transparency implementations. */
    private static final String[] RFC_LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
            "606162636465666768696a6b6c6d6e6f"};
    private static final String[] RFC_ROOTS = {
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    private static MerkleTree rfcTree() {
        MerkleTree tree = new MerkleTree();
        for (String leaf : RFC_LEAVES) {
            tree.append(MerkleHashes.leafHash(HEX.parseHex(leaf)));
        }
        return tree;
    }

    private static MerkleTree treeOf(int size) {
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < size; i++) {
            tree.append(MerkleHashes.leafHash(("leaf " + i).getBytes()));
        }
        return tree;
    }

    /** The RFC's recursive definition, written independently of the tree's stored levels. */
    private static byte[] referenceRoot(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) {
            return MerkleHashes.emptyRoot();
        }
        if (leafHashes.size() == 1) {
            return leafHashes.get(0);
        }
        int k = Integer.highestOneBit(leafHashes.size() - 1);
        return MerkleHashes.nodeHash(referenceRoot(leafHashes.subList(0, k)),
                referenceRoot(leafHashes.subList(k, leafHashes.size())));
    }

    @Nested
    class Roots {

        @Test
        void match_the_published_rfc_6962_roots_for_every_size() {
            MerkleTree tree = rfcTree();
            for (int size = 0; size <= 8; size++) {
                assertThat(HEX.formatHex(tree.root(size))).as("size %d", size).isEqualTo(RFC_ROOTS[size]);
            }
        }

        @Test
        void match_the_recursive_definition_up_to_a_few_hundred_leaves() {
            MerkleTree tree = new MerkleTree();
            List<byte[]> leaves = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                byte[] leaf = MerkleHashes.leafHash(new byte[] {(byte) i, (byte) (i >> 8)});
                tree.append(leaf);
                leaves.add(leaf);
            }
            for (int size = 0; size <= 300; size++) {
                assertThat(tree.root(size)).as("size %d", size).isEqualTo(referenceRoot(leaves.subList(0, size)));
            }
        }
    }

    @Nested
    class InclusionProofs {

        @Test
        void match_the_published_rfc_6962_audit_paths() {
            MerkleTree tree = rfcTree();
            assertThat(tree.inclusionProof(0, 8).stream().map(HEX::formatHex)).containsExactly(
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
            assertThat(tree.inclusionProof(5, 8).stream().map(HEX::formatHex)).containsExactly(
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        }

        @Test
        void verify_for_every_leaf_of_every_tree_size_up_to_200() {
            MerkleTree tree = treeOf(200);
            for (long size = 1; size <= 200; size++) {
                byte[] root = tree.root(size);
                for (long index = 0; index < size; index++) {
                    List<byte[]> path = tree.inclusionProof(index, size);
                    assertThat(ProofVerifier.verifyInclusion(tree.leafHash(index), index, size, path, root))
                            .as("leaf %d in size %d", index, size).isTrue();
                }
            }
        }

        @Test
        void fail_for_another_leaf_a_wrong_index_or_an_altered_path() {
            MerkleTree tree = treeOf(37);
            byte[] root = tree.root(37);
            List<byte[]> path = tree.inclusionProof(11, 37);
            assertThat(ProofVerifier.verifyInclusion(tree.leafHash(12), 11, 37, path, root)).isFalse();
            assertThat(ProofVerifier.verifyInclusion(tree.leafHash(11), 12, 37, path, root)).isFalse();
            List<byte[]> altered = new ArrayList<>(path);
            byte[] flipped = altered.get(2).clone();
            flipped[0] ^= 1;
            altered.set(2, flipped);
            assertThat(ProofVerifier.verifyInclusion(tree.leafHash(11), 11, 37, altered, root)).isFalse();
            assertThat(ProofVerifier.verifyInclusion(tree.leafHash(11), 11, 37, path.subList(0, 3), root)).isFalse();
        }
    }

    @Nested
    class ConsistencyProofs {

        @Test
        void verify_between_every_pair_of_sizes_up_to_150() {
            MerkleTree tree = treeOf(150);
            for (long second = 1; second <= 150; second++) {
                byte[] secondRoot = tree.root(second);
                for (long first = 1; first <= second; first++) {
                    List<byte[]> proof = tree.consistencyProof(first, second);
                    assertThat(ProofVerifier.verifyConsistency(first, second, proof, tree.root(first), secondRoot))
                            .as("%d -> %d", first, second).isTrue();
                }
            }
        }

        @Test
        void verify_for_sampled_sizes_up_to_a_few_hundred() {
            MerkleTree tree = treeOf(400);
            for (long second = 150; second <= 400; second += 7) {
                for (long first = 1; first <= second; first += 3) {
                    assertThat(ProofVerifier.verifyConsistency(first, second, tree.consistencyProof(first, second),
                            tree.root(first), tree.root(second))).as("%d -> %d", first, second).isTrue();
                }
            }
        }

        @Test
        void fail_for_a_forked_history() {
            MerkleTree honest = treeOf(20);
            MerkleTree forked = treeOf(12);
            for (int i = 12; i < 20; i++) {
                forked.append(MerkleHashes.leafHash(("other " + i).getBytes()));
            }
            // the fork shares the first 12 leaves: a proof from 13 must fail, from 12 must hold
            assertThat(ProofVerifier.verifyConsistency(13, 20, forked.consistencyProof(13, 20), honest.root(13),
                    forked.root(20))).isFalse();
            assertThat(ProofVerifier.verifyConsistency(12, 20, forked.consistencyProof(12, 20), honest.root(12),
                    forked.root(20))).isTrue();
            assertThat(ProofVerifier.verifyConsistency(5, 20, honest.consistencyProof(5, 20), honest.root(5),
                    forked.root(20))).isFalse();
        }
    }
}
