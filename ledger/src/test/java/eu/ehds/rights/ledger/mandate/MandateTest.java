package eu.ehds.rights.ledger.mandate;

import static eu.ehds.rights.ledger.TestData.STAFF;
import static eu.ehds.rights.ledger.TestData.T0;
import static eu.ehds.rights.ledger.TestData.anyKey;
import static eu.ehds.rights.ledger.TestData.anyPerson;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.mandate.GrantMandateCommand;
import eu.ehds.rights.ledger.api.mandate.MandateKind;
import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateGranted;
import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateRevoked;
import eu.ehds.rights.ledger.api.mandate.RevokeMandateCommand;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MandateTest {

    private static final Instant UNTIL = Instant.parse("2038-06-01T00:00:00Z");

    private AggregateTestFixture<Mandate> fixture;
    private String parent;
    private String child;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Mandate.class);
        parent = anyPerson();
        child = anyPerson();
    }

    @Nested
    class Grant {
        @Test
        void records_who_may_act_for_whom_until_when() {
            fixture.givenNoPriorActivity()
                    .when(new GrantMandateCommand("m-1", parent, child, MandateKind.PARENT, UNTIL, STAFF, T0, anyKey()))
                    .expectEvents(new RepresentativeMandateGranted("m-1", parent, child, MandateKind.PARENT, UNTIL, STAFF, T0));
        }

        @Test
        void rejects_a_mandate_that_ends_before_it_starts() {
            assertThatThrownBy(() -> new GrantMandateCommand("m-1", parent, child, MandateKind.PARENT, T0, STAFF, T0, anyKey()))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("validUntil");
        }

        @Test
        void rejects_representing_oneself() {
            assertThatThrownBy(() -> new GrantMandateCommand("m-1", parent, parent, MandateKind.GUARDIAN, UNTIL, STAFF, T0, anyKey()))
                    .isInstanceOf(InvalidRequestException.class);
        }
    }

    @Nested
    class Revoke {
        @Test
        void revokes_an_active_mandate_once() {
            RepresentativeMandateGranted granted =
                    new RepresentativeMandateGranted("m-1", parent, child, MandateKind.PARENT, UNTIL, STAFF, T0);
            fixture.given(granted)
                    .when(new RevokeMandateCommand("m-1", "custody changed", STAFF, T0.plusSeconds(5), anyKey()))
                    .expectEvents(new RepresentativeMandateRevoked("m-1", "custody changed", STAFF, T0.plusSeconds(5)));
            fixture.given(granted, new RepresentativeMandateRevoked("m-1", "r", STAFF, T0))
                    .when(new RevokeMandateCommand("m-1", "again", STAFF, T0, anyKey()))
                    .expectException(ConflictException.class);
        }
    }
}
