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
    void answers_a_block_of_keys_as_contains_answers_each() {
        Random random = new Random(11);
        long[] members = random.longs(100_000).toArray();
        PseudonymSet set = PseudonymSet.of(members.clone());
        long[] probes = new long[50_000];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = i % 3 == 0 ? members[random.nextInt(members.length)] : random.nextLong();
        }
        boolean[] found = new boolean[probes.length + 10];
        java.util.Arrays.fill(found, true); // beyond n must stay as it was

        set.containsAll(probes, probes.length, found);

        for (int i = 0; i < probes.length; i++) {
            assertThat(found[i]).as("probe %d", i).isEqualTo(set.contains(probes[i]));
        }
        assertThat(found[probes.length]).isTrue();
    }

    @Test
    void gives_back_its_keys_in_unsigned_order() {
        long[] members = new Random(5).longs(20_000).toArray();
        members[0] = -1L;
        members[1] = 0L;
        members[2] = Long.MIN_VALUE;
        members[3] = Long.MAX_VALUE;
        long[] expected = java.util.Arrays.stream(members).map(k -> k ^ Long.MIN_VALUE).sorted()
                .map(k -> k ^ Long.MIN_VALUE).toArray();

        assertThat(PseudonymSet.of(members.clone()).keys()).containsExactly(expected);
    }

    @Test
    void finds_keys_crowded_around_one_home_and_misses_their_neighbours() {
        long[] crowded = new long[1000];
        for (int i = 0; i < crowded.length; i++) {
            crowded[i] = 0x1234_5678_0000_0000L + 2L * i; // one top half: one home for all
        }
        PseudonymSet set = PseudonymSet.of(crowded.clone());
        for (long key : crowded) {
            assertThat(set.contains(key)).isTrue();
            assertThat(set.contains(key + 1)).isFalse();
        }
        assertThat(set.keys()).containsExactly(crowded);
    }

    @Test
    void handles_empty_and_single_sets() {
        assertThat(PseudonymSet.of(new long[0]).contains(42)).isFalse();
        assertThat(PseudonymSet.of(new long[0]).contains(-1L)).isFalse();
        assertThat(PseudonymSet.of(new long[0]).keys()).isEmpty();
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
    void stays_under_twelve_bytes_per_member() {
        long[] keys = new Random(1).longs(1 << 20).toArray();
        assertThat(PseudonymSet.of(keys).footprintBytes()).isLessThan(12L * (1 << 20));
    }
}
