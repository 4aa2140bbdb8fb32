package eu.ehds.rights.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.axonframework.common.IdentifierFactory;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

class TimeOrderedIdentifiersTest {

    @Test
    void axon_gives_events_time_ordered_identifiers() {
        // given the factory registered in META-INF/services
        // when Axon makes an event message
        String id = GenericEventMessage.asEventMessage("payload").getIdentifier();

        // then its identifier is a version 7 UUID made now
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(TimeOrderedIdentifiers.class);
        UUID uuid = UUID.fromString(id);
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.getMostSignificantBits() >>> 16).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(60_000L));
    }

    @Test
    void identifiers_carry_their_millisecond_the_version_and_the_variant() {
        long millis = 0x0123_4567_89ABL;

        UUID uuid = TimeOrderedIdentifiers.next(millis);

        assertThat(uuid.toString()).startsWith("01234567-89ab-7");
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
    }

    @Test
    void identifiers_of_later_milliseconds_sort_after_earlier_ones_as_text() {
        long start = 1_764_000_000_000L;
        String previous = TimeOrderedIdentifiers.next(start).toString();
        for (long ms = start + 1; ms < start + 5_000; ms++) {
            String next = TimeOrderedIdentifiers.next(ms).toString();
            assertThat(next).isGreaterThan(previous);
            previous = next;
        }
    }

    @Test
    void identifiers_of_one_millisecond_differ() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            seen.add(TimeOrderedIdentifiers.next(1_764_000_000_000L).toString());
        }
        assertThat(seen).hasSize(100_000);
    }
}
