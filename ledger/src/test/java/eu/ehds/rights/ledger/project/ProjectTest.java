package eu.ehds.rights.ledger.project;

import static eu.ehds.rights.ledger.TestData.STAFF;
import static eu.ehds.rights.ledger.TestData.T0;
import static eu.ehds.rights.ledger.TestData.anyKey;
import static eu.ehds.rights.ledger.TestData.anyProject;
import static eu.ehds.rights.ledger.TestData.anyProjectId;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.project.ApprovePermitCommand;
import eu.ehds.rights.ledger.api.project.CloseProjectCommand;
import eu.ehds.rights.ledger.api.project.DataUsageRecorded;
import eu.ehds.rights.ledger.api.project.LegalBasis;
import eu.ehds.rights.ledger.api.project.LegalBasisSet;
import eu.ehds.rights.ledger.api.project.PermitApproved;
import eu.ehds.rights.ledger.api.project.ProjectClosed;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.ledger.api.project.PublicInterestDerogationRecorded;
import eu.ehds.rights.ledger.api.project.PublishResultsCommand;
import eu.ehds.rights.ledger.api.project.RecordDataUsageCommand;
import eu.ehds.rights.ledger.api.project.RecordDerogationCommand;
import eu.ehds.rights.ledger.api.project.RegisterProjectCommand;
import eu.ehds.rights.ledger.api.project.ResultsPublished;
import eu.ehds.rights.ledger.api.project.SetLegalBasisCommand;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ProjectTest {

    private static final Instant APPROVED = T0.plusSeconds(86_400);
    private static final String COMMITMENT = "ab".repeat(32);

    private AggregateTestFixture<Project> fixture;
    private String projectId;
    private RegisterProjectCommand registration;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Project.class);
        projectId = anyProjectId();
        registration = anyProject(projectId);
    }

    private ProjectRegistered registered() {
        RegisterProjectCommand c = registration;
        return new ProjectRegistered(c.projectId(), c.title(), c.controller(), c.purposeCategory(), c.dataHolders(),
                c.datasets(), c.plannedStart(), c.plannedEnd(), c.recordedBy(), c.registeredAt());
    }

    private PermitApproved permitted() {
        return new PermitApproved(projectId, "PERMIT-1", APPROVED, STAFF);
    }

    private RecordDataUsageCommand usage(String usageId, String holder, Instant deliveredAt) {
        return new RecordDataUsageCommand(projectId, usageId, holder, "DCIR", deliveredAt, 1200, COMMITMENT, STAFF, anyKey());
    }

    @Nested
    class Register {
        @Test
        void publishes_the_project_sheet() {
            fixture.givenNoPriorActivity().when(registration).expectEvents(registered());
        }
    }

    @Nested
    class LegalBasisOfReuse {

        private static final String NOTICE = "Vos données génétiques ne seront utilisées qu'avec votre accord.";

        @Test
        void a_consent_project_publishes_its_basis_and_notice_at_registration() {
            RegisterProjectCommand c = registration;
            fixture.givenNoPriorActivity()
                    .when(new RegisterProjectCommand(c.projectId(), c.title(), c.controller(), c.purposeCategory(),
                            c.dataHolders(), c.datasets(), c.plannedStart(), c.plannedEnd(), STAFF, T0, anyKey(), null,
                            null, null, LegalBasis.CONSENT, NOTICE))
                    .expectEvents(registered(), new LegalBasisSet(projectId, LegalBasis.CONSENT, NOTICE, STAFF, T0));
        }

        @Test
        void a_change_of_basis_is_an_event_of_its_own_and_the_same_basis_again_is_refused() {
            fixture.given(registered())
                    .when(new SetLegalBasisCommand(projectId, LegalBasis.CONSENT, NOTICE, STAFF, APPROVED, anyKey()))
                    .expectEvents(new LegalBasisSet(projectId, LegalBasis.CONSENT, NOTICE, STAFF, APPROVED));
            fixture.given(registered())
                    .when(new SetLegalBasisCommand(projectId, LegalBasis.OPT_OUT, null, STAFF, APPROVED, anyKey()))
                    .expectException(ConflictException.class);
        }

        @Test
        void a_consent_project_without_a_notice_is_refused() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SetLegalBasisCommand(projectId,
                    LegalBasis.CONSENT, " ", STAFF, APPROVED, anyKey())).hasMessageContaining("consentNotice");
        }
    }

    @Nested
    class ApprovePermit {
        @Test
        void approves_the_permit_of_a_registered_project() {
            fixture.given(registered())
                    .when(new ApprovePermitCommand(projectId, "PERMIT-1", APPROVED, STAFF, anyKey()))
                    .expectEvents(permitted());
        }

        @Test
        void rejects_a_second_permit() {
            fixture.given(registered(), permitted())
                    .when(new ApprovePermitCommand(projectId, "PERMIT-2", APPROVED, STAFF, anyKey()))
                    .expectException(ConflictException.class).expectNoEvents();
        }

        @Test
        void rejects_a_permit_for_a_closed_project() {
            fixture.given(registered(), new ProjectClosed(projectId, STAFF, APPROVED))
                    .when(new ApprovePermitCommand(projectId, "PERMIT-1", APPROVED, STAFF, anyKey()))
                    .expectException(ConflictException.class);
        }
    }

    @Nested
    class RecordDerogation {
        @Test
        void records_the_legal_ground_and_justification_publicly() {
            fixture.given(registered(), permitted())
                    .when(new RecordDerogationCommand(projectId, "Art. 71(4) EHDS; national law X", "Pandemic surveillance",
                            STAFF, APPROVED, anyKey()))
                    .expectEvents(new PublicInterestDerogationRecorded(projectId, "Art. 71(4) EHDS; national law X",
                            "Pandemic surveillance", STAFF, APPROVED));
        }

        @Test
        void rejects_a_second_derogation() {
            fixture.given(registered(), new PublicInterestDerogationRecorded(projectId, "g", "j", STAFF, APPROVED))
                    .when(new RecordDerogationCommand(projectId, "g2", "j2", STAFF, APPROVED, anyKey()))
                    .expectException(ConflictException.class);
        }
    }

    @Nested
    class RecordDataUsage {
        @Test
        void records_a_delivery_under_the_permit() {
            Instant delivered = APPROVED.plusSeconds(60);
            fixture.given(registered(), permitted())
                    .when(usage("u-1", "CNAM", delivered))
                    .expectEvents(new DataUsageRecorded(projectId, "u-1", "CNAM", "DCIR", delivered, 1200, COMMITMENT, STAFF));
        }

        @Test
        void rejects_a_delivery_without_permit() {
            fixture.given(registered())
                    .when(usage("u-1", "CNAM", APPROVED))
                    .expectException(ConflictException.class).expectNoEvents();
        }

        @Test
        void rejects_a_delivery_before_the_permit_was_approved() {
            fixture.given(registered(), permitted())
                    .when(usage("u-1", "CNAM", APPROVED.minusSeconds(1)))
                    .expectException(ConflictException.class);
        }

        @Test
        void rejects_a_data_holder_not_on_the_sheet() {
            fixture.given(registered(), permitted())
                    .when(usage("u-1", "Unknown holder", APPROVED))
                    .expectException(InvalidRequestException.class)
                    .expectExceptionMessage("data holder 'Unknown holder' is not listed on this project's sheet");
        }

        @Test
        void rejects_the_same_usage_twice() {
            fixture.given(registered(), permitted(),
                            new DataUsageRecorded(projectId, "u-1", "CNAM", "DCIR", APPROVED, 1, COMMITMENT, STAFF))
                    .when(usage("u-1", "CNAM", APPROVED))
                    .expectException(ConflictException.class);
        }

        @Test
        void rejects_a_delivery_to_a_closed_project() {
            fixture.given(registered(), permitted(), new ProjectClosed(projectId, STAFF, APPROVED))
                    .when(usage("u-2", "CNAM", APPROVED))
                    .expectException(ConflictException.class);
        }
    }

    @Nested
    class CloseAndPublish {
        @Test
        void closes_an_open_project_once() {
            fixture.given(registered(), permitted())
                    .when(new CloseProjectCommand(projectId, STAFF, APPROVED, anyKey()))
                    .expectEvents(new ProjectClosed(projectId, STAFF, APPROVED));
            fixture.given(registered(), new ProjectClosed(projectId, STAFF, APPROVED))
                    .when(new CloseProjectCommand(projectId, STAFF, APPROVED, anyKey()))
                    .expectException(ConflictException.class);
        }

        @Test
        void publishes_results_of_a_permitted_project_even_after_closure() {
            fixture.given(registered(), permitted(), new ProjectClosed(projectId, STAFF, APPROVED))
                    .when(new PublishResultsCommand(projectId, "HbA1c improved", "https://results.example/1", STAFF,
                            APPROVED, anyKey()))
                    .expectEvents(new ResultsPublished(projectId, "HbA1c improved", "https://results.example/1", STAFF,
                            APPROVED));
        }

        @Test
        void rejects_results_without_permit() {
            fixture.given(registered())
                    .when(new PublishResultsCommand(projectId, "s", null, STAFF, APPROVED, anyKey()))
                    .expectException(ConflictException.class);
        }
    }
}
