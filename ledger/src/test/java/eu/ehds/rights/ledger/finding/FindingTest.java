package eu.ehds.rights.ledger.finding;

import static eu.ehds.rights.ledger.TestData.STAFF;
import static eu.ehds.rights.ledger.TestData.T0;
import static eu.ehds.rights.ledger.TestData.anyKey;
import static eu.ehds.rights.ledger.TestData.anyPerson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.finding.AcknowledgeFindingCommand;
import eu.ehds.rights.ledger.api.finding.DeliveryChannel;
import eu.ehds.rights.ledger.api.finding.ForwardFindingCommand;
import eu.ehds.rights.ledger.api.finding.Recipient;
import eu.ehds.rights.ledger.api.finding.RecordFindingDeliveryCommand;
import eu.ehds.rights.ledger.api.finding.ReportSignificantFindingCommand;
import eu.ehds.rights.ledger.api.finding.Severity;
import eu.ehds.rights.ledger.api.finding.SignificantFindingAcknowledged;
import eu.ehds.rights.ledger.api.finding.SignificantFindingDelivered;
import eu.ehds.rights.ledger.api.finding.SignificantFindingDeliverySuppressed;
import eu.ehds.rights.ledger.api.finding.SignificantFindingForwarded;
import eu.ehds.rights.ledger.api.finding.SignificantFindingReported;
import eu.ehds.rights.ledger.api.finding.SuppressionReason;
import eu.ehds.rights.ledger.project.ProjectDirectory;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FindingTest {

    private static final String PROJECT = "prj-1";
    private static final String HASH = "ab".repeat(32);
    private static final String USER = "data-user:prj-1";
    private static final String HOLDER = "CNAM";

    private AggregateTestFixture<Finding> fixture;
    private String person;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Finding.class);
        fixture.registerInjectableResource((ProjectDirectory) Set.of(PROJECT)::contains);
        person = anyPerson();
    }

    private SignificantFindingReported reported() {
        return new SignificantFindingReported("f-1", PROJECT, person, Severity.IMPORTANT, HASH, USER, T0);
    }

    private SignificantFindingForwarded forwarded() {
        return new SignificantFindingForwarded("f-1", HOLDER, STAFF, T0.plusSeconds(60));
    }

    private SignificantFindingAcknowledged acknowledged() {
        return new SignificantFindingAcknowledged("f-1", HOLDER, Recipient.PERSON, "data-holder:CNAM",
                T0.plusSeconds(120));
    }

    @Nested
    class Report {
        @Test
        void records_the_finding_with_a_commitment_to_its_content_only() {
            fixture.givenNoPriorActivity()
                    .when(new ReportSignificantFindingCommand("f-1", PROJECT, person, Severity.IMPORTANT, HASH, USER, T0,
                            anyKey()))
                    .expectEvents(reported());
        }

        @Test
        void rejects_a_finding_for_a_project_not_in_the_register() {
            fixture.givenNoPriorActivity()
                    .when(new ReportSignificantFindingCommand("f-1", "prj-unknown", person, Severity.URGENT, HASH, USER,
                            T0, anyKey()))
                    .expectException(NotFoundException.class);
        }

        @Test
        void rejects_a_person_that_is_not_a_pseudonym() {
            assertThatThrownBy(() -> new ReportSignificantFindingCommand("f-1", PROJECT, "2 84 05 2A 004 018 09",
                    Severity.URGENT, HASH, USER, T0, anyKey())).isInstanceOf(InvalidRequestException.class);
        }
    }

    @Nested
    class Forward {
        @Test
        void passes_the_finding_to_a_data_holder_once() {
            fixture.given(reported())
                    .when(new ForwardFindingCommand("f-1", HOLDER, STAFF, T0.plusSeconds(60), anyKey()))
                    .expectEvents(forwarded());
            fixture.given(reported(), forwarded())
                    .when(new ForwardFindingCommand("f-1", "AP-HP", STAFF, T0.plusSeconds(90), anyKey()))
                    .expectException(ConflictException.class);
        }
    }

    @Nested
    class Acknowledge {
        @Test
        void the_data_holder_it_was_forwarded_to_chooses_whom_to_inform() {
            fixture.given(reported(), forwarded())
                    .when(new AcknowledgeFindingCommand("f-1", HOLDER, Recipient.PERSON, "data-holder:CNAM",
                            T0.plusSeconds(120), anyKey()))
                    .expectEvents(acknowledged());
        }

        @Test
        void another_data_holder_cannot_acknowledge_it() {
            fixture.given(reported(), forwarded())
                    .when(new AcknowledgeFindingCommand("f-1", "AP-HP", Recipient.PERSON, "data-holder:AP-HP",
                            T0.plusSeconds(120), anyKey()))
                    .expectException(NotFoundException.class);
        }

        @Test
        void a_finding_not_yet_forwarded_cannot_be_acknowledged() {
            fixture.given(reported())
                    .when(new AcknowledgeFindingCommand("f-1", HOLDER, Recipient.PERSON, "data-holder:CNAM",
                            T0.plusSeconds(120), anyKey()))
                    .expectException(NotFoundException.class);
        }
    }

    @Nested
    class Deliver {
        @Test
        void each_channel_is_delivered_or_suppressed_once() {
            fixture.given(reported(), forwarded(), acknowledged())
                    .when(new RecordFindingDeliveryCommand("f-1", DeliveryChannel.PORTAL_INBOX, null, "notifications",
                            T0.plusSeconds(130), anyKey()))
                    .expectEvents(new SignificantFindingDelivered("f-1", DeliveryChannel.PORTAL_INBOX, "notifications",
                            T0.plusSeconds(130)));
            fixture.given(reported(), forwarded(), acknowledged(),
                            new SignificantFindingDelivered("f-1", DeliveryChannel.PORTAL_INBOX, "notifications",
                                    T0.plusSeconds(130)))
                    .when(new RecordFindingDeliveryCommand("f-1", DeliveryChannel.PORTAL_INBOX, null, "notifications",
                            T0.plusSeconds(140), anyKey()))
                    .expectException(ConflictException.class);
        }

        @Test
        void an_objection_at_delivery_suppresses_the_channel_with_its_reason() {
            fixture.given(reported(), forwarded(), acknowledged())
                    .when(new RecordFindingDeliveryCommand("f-1", DeliveryChannel.EMAIL, SuppressionReason.OBJECTION, "notifications",
                            T0.plusSeconds(130), anyKey()))
                    .expectEvents(new SignificantFindingDeliverySuppressed("f-1", DeliveryChannel.EMAIL, SuppressionReason.OBJECTION,
                            "notifications", T0.plusSeconds(130)));
        }

        @Test
        void nothing_is_delivered_before_the_data_holder_acknowledged_it() {
            fixture.given(reported(), forwarded())
                    .when(new RecordFindingDeliveryCommand("f-1", DeliveryChannel.EMAIL, null, "notifications",
                            T0.plusSeconds(130), anyKey()))
                    .expectException(ConflictException.class);
        }

        @Test
        void a_suppression_reason_is_written_by_its_name_as_events_recorded_before_hold_it() throws Exception {
            // the reason was a string checked against these names: stored events and their log leaves are unchanged
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (SuppressionReason reason : SuppressionReason.values()) {
                assertThat(json.writeValueAsString(reason)).isEqualTo("\"" + reason.name() + "\"");
            }
            assertThat(json.readValue("\"NO_CONTACT\"", SuppressionReason.class)).isEqualTo(SuppressionReason.NO_CONTACT);
            assertThatThrownBy(() -> json.readValue("\"BORED\"", SuppressionReason.class))
                    .isInstanceOf(com.fasterxml.jackson.databind.exc.InvalidFormatException.class);
        }
    }
}
