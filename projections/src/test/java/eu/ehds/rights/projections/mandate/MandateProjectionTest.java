package eu.ehds.rights.projections.mandate;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.api.mandate.MandateKind;
import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateGranted;
import eu.ehds.rights.ledger.api.mandate.RepresentativeMandateRevoked;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MandateProjectionTest {

    private static final Instant GRANTED = Instant.parse("2026-02-01T10:00:00Z");
    private static final Instant UNTIL = Instant.parse("2030-01-01T00:00:00Z");
    private static final String PARENT = "a".repeat(32);
    private static final String CHILD = "b".repeat(32);

    private MandateProjection mandates;

    @BeforeEach
    void givenAParentMandate() {
        mandates = new MandateProjection();
        mandates.apply(new RepresentativeMandateGranted("mdt-1", PARENT, CHILD, MandateKind.PARENT, UNTIL,
                "staff:admin", GRANTED), 0);
    }

    @Test
    void a_mandate_is_active_from_its_grant_until_its_term() {
        MandateView m = mandates.find("mdt-1").orElseThrow();
        assertThat(m.activeAt(GRANTED.minusMillis(1))).isFalse();
        assertThat(m.activeAt(GRANTED)).isTrue();
        assertThat(m.activeAt(UNTIL.minusMillis(1))).isTrue();
        assertThat(m.activeAt(UNTIL)).isFalse();
    }

    @Test
    void a_revoked_mandate_stops_at_its_revocation_and_the_first_revocation_stands() {
        Instant revoked = GRANTED.plusSeconds(3600);
        mandates.apply(new RepresentativeMandateRevoked("mdt-1", "court order", "staff:admin", revoked), 0);
        mandates.apply(new RepresentativeMandateRevoked("mdt-1", "again", "staff:admin", revoked.plusSeconds(60)), 0);

        MandateView m = mandates.find("mdt-1").orElseThrow();
        assertThat(m.revokedAt()).isEqualTo(revoked);
        assertThat(m.activeAt(revoked.minusMillis(1))).isTrue();
        assertThat(m.activeAt(revoked)).isFalse();
    }

    @Test
    void the_same_grant_twice_changes_nothing_and_only_the_representative_holds_it() {
        mandates.apply(new RepresentativeMandateGranted("mdt-1", PARENT, CHILD, MandateKind.PARENT, UNTIL,
                "staff:admin", GRANTED), 0);

        assertThat(mandates.heldBy(PARENT)).extracting(MandateView::mandateId).containsExactly("mdt-1");
        assertThat(mandates.heldBy(CHILD)).isEmpty();
        assertThat(mandates.all()).hasSize(1);
    }
}
