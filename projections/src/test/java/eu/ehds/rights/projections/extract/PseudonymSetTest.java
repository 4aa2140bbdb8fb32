package eu.ehds.rights.projections.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PseudonymSetTest {

    @Test
    void contains_exactly_its_members_including_extreme_keys() {
        Random random = new Random(7);
        long[] members = random.longs(50_000).toArray();
        members[0] = 0L;
        members[1] = -1L; // 0xffff...: the last bucket
        members[2] = Long.MIN_VALUE;
        members[3] = members[4]; // duplicates are folded
        Set<Long> expected = new HashSet<>();
        for (long member : members) {
            expected.add(member);
        }
        PseudonymSet set = PseudonymSet.of(members.clone());

        assertThat(set.size()).isEqualTo(expected.size()).isEqualTo(members.length - 1);
        for (long member : expected) {
            assertThat(set.contains(member)).isTrue();
        }
        int falsePositives = 0;
        for (int i = 0; i < 200_000; i++) {
            long probe = random.nextLong();
            if (set.contains(probe) != expected.contains(probe)) {
                falsePositives++;
            }
        }
        assertThat(falsePositives).isZero();
    }

    @Test
    void handles_empty_and_single_sets() {
        assertThat(PseudonymSet.of(new long[0]).contains(42)).isFalse();
        PseudonymSet one = PseudonymSet.of(new long[] {42});
        assertThat(one.contains(42)).isTrue();
        assertThat(one.contains(43)).isFalse();
    }

    @Test
    void keys_are_the_first_64_bits_of_the_pseudonym() {
        assertThat(PseudonymSet.key("0123456789abcdef0000000000000000")).isEqualTo(0x0123456789abcdefL);
        assertThat(PseudonymSet.key("ffffffffffffffff0123456789abcdef")).isEqualTo(-1L);
    }

    @Test
    void stays_under_fourteen_bytes_per_member() {
        long[] keys = new Random(1).longs(1 << 20).toArray();
        assertThat(PseudonymSet.of(keys).footprintBytes()).isLessThan(14L * (1 << 20));
    }
}
