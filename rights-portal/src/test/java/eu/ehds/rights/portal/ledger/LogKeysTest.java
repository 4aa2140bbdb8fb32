package eu.ehds.rights.portal.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.checkpoint.LogKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogKeysTest {

    private static String key(int fill) {
        byte[] raw = new byte[32];
        java.util.Arrays.fill(raw, (byte) fill);
        return Base64.getEncoder().encodeToString(raw);
    }

    @Test
    void given_no_rotation_then_the_configured_key_signs_every_size() {
        assertThat(LogKeys.history(List.of(), Base64.getDecoder().decode(key(1))))
                .containsExactly(new LogKey(key(1), 0, null));
    }

    @Test
    void given_rotations_at_entries_9_and_30_then_each_key_signs_up_to_the_rotation_entry_and_the_next_from_there() {
        Instant at = Instant.parse("2026-12-02T10:00:00Z");
        List<LogKeys.Rotation> rotations = List.of(new LogKeys.Rotation(9, key(1), key(2), at),
                new LogKeys.Rotation(30, key(2), key(3), at));

        assertThat(LogKeys.history(rotations, Base64.getDecoder().decode(key(3)))).containsExactly(
                new LogKey(key(1), 0, 9L), new LogKey(key(2), 10, 30L), new LogKey(key(3), 31, null));
    }
}
