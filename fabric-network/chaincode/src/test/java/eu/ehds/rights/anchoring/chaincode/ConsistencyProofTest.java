package eu.ehds.rights.anchoring.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsistencyProofTest {

    private final TestLog log = new TestLog("test.example/log").append(40);

    @Test
    void given_every_pair_of_sizes_up_to_40_when_the_proof_is_right_then_it_verifies() {
        for (int m = 1; m <= 40; m++) {
            for (int n = m; n <= 40; n++) {
                assertThat(ConsistencyProof.verify(m, log.root(m), n, log.root(n), log.consistencyProof(m, n)))
                        .as("%d -> %d", m, n).isTrue();
            }
        }
    }

    @Test
    void given_every_pair_of_sizes_when_any_proof_hash_is_altered_then_it_fails() {
        for (int m = 1; m <= 24; m++) {
            for (int n = m + 1; n <= 24; n++) {
                List<byte[]> proof = log.consistencyProof(m, n);
                for (int i = 0; i < proof.size(); i++) {
                    List<byte[]> tampered = new ArrayList<>(proof);
                    byte[] hash = tampered.get(i).clone();
                    hash[0] ^= 1;
                    tampered.set(i, hash);
                    assertThat(ConsistencyProof.verify(m, log.root(m), n, log.root(n), tampered))
                            .as("%d -> %d, hash %d altered", m, n, i).isFalse();
                }
            }
        }
    }

    @Test
    void given_a_forked_tree_when_its_root_is_checked_against_a_proof_of_the_real_one_then_it_fails() {
        TestLog fork = new TestLog("test.example/log").append(40);
        fork.leaves.set(30, log.leaves.get(0)); // the same 30 first leaves, then a different one
        assertThat(ConsistencyProof.verify(20, log.root(20), 35, fork.root(35), log.consistencyProof(20, 35))).isFalse();
        assertThat(ConsistencyProof.verify(20, log.root(20), 35, fork.root(35), fork.consistencyProof(20, 35))).isTrue();
    }

    @Test
    void given_wrong_sizes_or_an_extra_hash_then_it_fails() {
        List<byte[]> proof = log.consistencyProof(5, 13);
        assertThat(ConsistencyProof.verify(6, log.root(5), 13, log.root(13), proof)).isFalse();
        assertThat(ConsistencyProof.verify(5, log.root(5), 13, log.root(14), proof)).isFalse();
        List<byte[]> longer = new ArrayList<>(proof);
        longer.add(log.root(1));
        assertThat(ConsistencyProof.verify(5, log.root(5), 13, log.root(13), longer)).isFalse();
        assertThat(ConsistencyProof.verify(13, log.root(13), 5, log.root(5), proof)).isFalse();
        assertThat(ConsistencyProof.verify(7, log.root(7), 7, log.root(7), List.of())).isTrue();
        assertThat(ConsistencyProof.verify(7, log.root(7), 7, log.root(8), List.of())).isFalse();
    }
}
