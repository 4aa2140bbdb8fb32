package eu.ehds.rights.projections.finding;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.api.finding.DeliveryChannel;
import eu.ehds.rights.ledger.api.finding.Recipient;
import eu.ehds.rights.ledger.api.finding.Severity;
import eu.ehds.rights.ledger.api.finding.SignificantFindingAcknowledged;
import eu.ehds.rights.ledger.api.finding.SignificantFindingDelivered;
import eu.ehds.rights.ledger.api.finding.SignificantFindingDeliverySuppressed;
import eu.ehds.rights.ledger.api.finding.SignificantFindingForwarded;
import eu.ehds.rights.ledger.api.finding.SignificantFindingReported;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FindingsProjectionTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
    private static final FindingView.Deadlines DEADLINES =
            new FindingView.Deadlines(Duration.ofDays(2), Duration.ofDays(5), Duration.ofDays(1));

    private FindingsProjection findings;

    @BeforeEach
    void givenAReportedFinding() {
        findings = new FindingsProjection();
        findings.apply(new SignificantFindingReported("f-1", "prj-1", "e".repeat(32), Severity.URGENT, "00".repeat(32),
                "data-user:prj-1", T0), 0);
    }

    @Test
    void each_hop_has_its_deadline_and_a_settled_finding_is_never_overdue() {
        assertThat(findings.overdue(DEADLINES, T0.plus(Duration.ofDays(2)))).isEmpty();
        assertThat(findings.overdue(DEADLINES, T0.plus(Duration.ofDays(2)).plusSeconds(1))).hasSize(1);

        findings.apply(new SignificantFindingForwarded("f-1", "CNAM", "staff:admin", T0.plusSeconds(60)), 0);
        assertThat(findings.find("f-1").orElseThrow().stage()).isEqualTo(FindingView.Stage.FORWARDED);
        assertThat(findings.overdue(DEADLINES, T0.plus(Duration.ofDays(3)))).isEmpty();
        assertThat(findings.forwardedTo("CNAM")).hasSize(1);
        assertThat(findings.forwardedTo("AP-HP")).isEmpty();

        findings.apply(new SignificantFindingAcknowledged("f-1", "CNAM", Recipient.PERSON, "data-holder:CNAM",
                T0.plusSeconds(120)), 0);
        assertThat(findings.overdue(DEADLINES, T0.plus(Duration.ofDays(2)))).hasSize(1); // a day to deliver

        findings.apply(new SignificantFindingDelivered("f-1", DeliveryChannel.PORTAL_INBOX, "notifications",
                T0.plusSeconds(130)), 0);
        assertThat(findings.find("f-1").orElseThrow().stage()).isEqualTo(FindingView.Stage.ACKNOWLEDGED);
        findings.apply(new SignificantFindingDeliverySuppressed("f-1", DeliveryChannel.EMAIL, eu.ehds.rights.ledger.api.finding.SuppressionReason.NO_CONTACT,
                "notifications", T0.plusSeconds(131)), 0);

        FindingView settled = findings.find("f-1").orElseThrow();
        assertThat(settled.stage()).isEqualTo(FindingView.Stage.SETTLED);
        assertThat(settled.outcomes().get("EMAIL").result()).isEqualTo("NO_CONTACT");
        assertThat(findings.overdue(DEADLINES, T0.plus(Duration.ofDays(30)))).isEmpty();
    }

    @Test
    void the_same_events_twice_change_nothing() {
        SignificantFindingForwarded forwarded = new SignificantFindingForwarded("f-1", "CNAM", "staff:admin", T0);
        findings.apply(forwarded, 0);
        findings.apply(new SignificantFindingForwarded("f-1", "AP-HP", "staff:admin", T0.plusSeconds(5)), 0);
        findings.apply(new SignificantFindingReported("f-1", "prj-2", "f".repeat(32), Severity.INFORMATIVE,
                "11".repeat(32), "x", T0), 0);

        FindingView f = findings.find("f-1").orElseThrow();
        assertThat(f.dataHolder()).isEqualTo("CNAM");
        assertThat(f.projectId()).isEqualTo("prj-1");
    }
}
