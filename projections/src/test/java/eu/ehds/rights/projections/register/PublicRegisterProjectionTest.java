package eu.ehds.rights.projections.register;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.api.project.DataUsageRecorded;
import eu.ehds.rights.ledger.api.project.PermitApproved;
import eu.ehds.rights.ledger.api.project.ProjectClosed;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.ledger.api.project.PublicInterestDerogationRecorded;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.ledger.api.project.ResultsPublished;
import eu.ehds.rights.projections.readmodel.ReadModel;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PublicRegisterProjectionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    private PublicRegisterProjection register;

    private static ProjectRegistered anyProject(String id, String title, PurposeCategory purpose, String holder,
                                                int dayOffset) {
        return new ProjectRegistered(id, title, "Inserm", purpose, List.of(holder), List.of("DCIR"),
                LocalDate.parse("2026-01-01"), LocalDate.parse("2027-12-31"), "staff:admin",
                T0.plusSeconds(86_400L * dayOffset));
    }

    @BeforeEach
    void givenTwoProjects() {
        register = new PublicRegisterProjection();
        register.apply(anyProject("prj-a", "Diabetes outcomes", PurposeCategory.SCIENTIFIC_RESEARCH, "CNAM", 0), 0);
        register.apply(anyProject("prj-b", "Hospital stays", PurposeCategory.STATISTICS, "AP-HP", 1), 0);
    }

    @Nested
    class Sheets {

        @Test
        void a_registered_project_awaits_its_permit() {
            assertThat(register.sheet("prj-a")).get().extracting(ProjectSheet::status)
                    .isEqualTo(ProjectSheet.Status.AWAITING_PERMIT);
        }

        @Test
        void permit_derogation_results_and_closure_show_on_the_sheet() {
            register.apply(new PermitApproved("prj-a", "HDAB-1", T0.plusSeconds(10), "staff:admin"), 0);
            register.apply(new PublicInterestDerogationRecorded("prj-a", "Art. 71(4)(a)", "epidemic", "staff:admin",
                    T0.plusSeconds(20)), 0);
            register.apply(new ResultsPublished("prj-a", "HbA1c improved", "https://example.org/r", "staff:admin",
                    T0.plusSeconds(30)), 0);
            register.apply(new ProjectClosed("prj-a", "staff:admin", T0.plusSeconds(40)), 0);

            ProjectSheet sheet = register.sheet("prj-a").orElseThrow();
            assertThat(sheet.permit()).isEqualTo(new ProjectSheet.Permit("HDAB-1", T0.plusSeconds(10)));
            assertThat(sheet.derogation().justification()).isEqualTo("epidemic");
            assertThat(sheet.results().summary()).isEqualTo("HbA1c improved");
            assertThat(sheet.status()).isEqualTo(ProjectSheet.Status.CLOSED);
        }

        @Test
        void the_first_permit_stands_and_the_latest_results_win() {
            register.apply(new PermitApproved("prj-a", "HDAB-1", T0.plusSeconds(10), "staff:admin"), 0);
            register.apply(new PermitApproved("prj-a", "HDAB-2", T0.plusSeconds(20), "staff:admin"), 0);
            register.apply(new ResultsPublished("prj-a", "first", null, "staff:admin", T0.plusSeconds(30)), 0);
            register.apply(new ResultsPublished("prj-a", "second", null, "staff:admin", T0.plusSeconds(40)), 0);
            register.apply(new ResultsPublished("prj-a", "first", null, "staff:admin", T0.plusSeconds(30)), 0);

            ProjectSheet sheet = register.sheet("prj-a").orElseThrow();
            assertThat(sheet.permit().permitId()).isEqualTo("HDAB-1");
            assertThat(sheet.results().summary()).isEqualTo("second");
        }

        @Test
        void the_same_delivery_twice_counts_once() {
            DataUsageRecorded usage = new DataUsageRecorded("prj-a", "use-1", "CNAM", "DCIR", T0.plusSeconds(50), 10,
                    "00".repeat(32), "data-holder:CNAM");
            register.apply(usage, 0);
            register.apply(usage, 0);
            register.apply(new DataUsageRecorded("prj-a", "use-2", "CNAM", "DCIR", T0.plusSeconds(40), 10,
                    "00".repeat(32), "data-holder:CNAM"), 0);

            ProjectSheet sheet = register.sheet("prj-a").orElseThrow();
            assertThat(sheet.deliveries()).isEqualTo(2);
            assertThat(sheet.lastDeliveryAt()).isEqualTo(T0.plusSeconds(50));
        }

        @Test
        void an_unknown_project_has_no_sheet() {
            assertThat(register.sheet("prj-nope")).isEmpty();
            assertThat(register.sheet(null)).isEmpty();
        }
    }

    @Nested
    class Search {

        @Test
        void lists_everything_newest_first() {
            assertThat(register.search(RegisterQuery.all())).extracting(ProjectSheet::projectId)
                    .containsExactly("prj-b", "prj-a");
        }

        @Test
        void filters_by_purpose_status_holder_and_words_in_any_case() {
            register.apply(new PermitApproved("prj-b", "HDAB-9", T0, "staff:admin"), 0);

            assertThat(register.search(new RegisterQuery(null, PurposeCategory.STATISTICS, null, null)))
                    .extracting(ProjectSheet::projectId).containsExactly("prj-b");
            assertThat(register.search(new RegisterQuery(null, null, ProjectSheet.Status.AWAITING_PERMIT, null)))
                    .extracting(ProjectSheet::projectId).containsExactly("prj-a");
            assertThat(register.search(new RegisterQuery(null, null, null, "CNAM")))
                    .extracting(ProjectSheet::projectId).containsExactly("prj-a");
            assertThat(register.search(new RegisterQuery("DIABETES inserm", null, null, null)))
                    .extracting(ProjectSheet::projectId).containsExactly("prj-a");
            assertThat(register.search(new RegisterQuery("diabetes stays", null, null, null))).isEmpty();
        }

        @Test
        void matches_words_without_regard_to_accents_either_way() {
            register.apply(anyProject("prj-c", "Étude des séjours à l’hôpital", PurposeCategory.STATISTICS, "CNAM", 2), 0);

            assertThat(register.search(new RegisterQuery("etude sejours hopital", null, null, null)))
                    .extracting(ProjectSheet::projectId).containsExactly("prj-c");
            assertThat(register.search(new RegisterQuery("ÉTUDE SÉJOURS", null, null, null)))
                    .extracting(ProjectSheet::projectId).containsExactly("prj-c");
        }

        @Test
        void names_every_data_holder_once() {
            assertThat(register.dataHolders()).containsExactly("AP-HP", "CNAM");
        }
    }

    @Test
    void a_register_built_aside_replaces_the_current_one_whole() {
        ReadModel.Builder<PublicRegisterProjection> fresh = register.builder();
        fresh.apply(anyProject("prj-c", "Cancer screening", PurposeCategory.PUBLIC_HEALTH, "CNAM", 2), 0);

        register.install(fresh);

        assertThat(register.search(RegisterQuery.all())).extracting(ProjectSheet::projectId).containsExactly("prj-c");
    }
}
