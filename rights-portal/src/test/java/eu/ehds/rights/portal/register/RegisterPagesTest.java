package eu.ehds.rights.portal.register;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import eu.ehds.rights.ledger.anchoring.AnchoringPort;
import eu.ehds.rights.ledger.api.project.PermitApproved;
import eu.ehds.rights.ledger.api.project.ProjectRegistered;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.portal.site.CitizenSignIn;
import eu.ehds.rights.portal.web.Brand;
import eu.ehds.rights.portal.web.IcuMessages;
import eu.ehds.rights.portal.web.PortalProperties;
import eu.ehds.rights.portal.web.Refusals;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import eu.ehds.rights.projections.statistics.OptOutStatisticsProjection;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The public register's pages as a slice: the controller, its templates, the layout and the words, with the register
 * read model in memory; no database, Fabric or browser, so that a change to these pages is checked in seconds.
 */
@WebMvcTest(controllers = RegisterPagesController.class)
@AutoConfigureMockMvc(addFilters = false) // the security chain is the integration tests' (AccessControlIT)
@Import({IcuMessages.class, Brand.class, Refusals.class, RegisterPagesTest.Models.class})
@EnableConfigurationProperties(PortalProperties.class)
class RegisterPagesTest {

    private static final Instant T0 = Instant.parse("2026-02-01T09:00:00Z");

    @TestConfiguration
    static class Models {
        @Bean
        PublicRegisterProjection register() {
            PublicRegisterProjection register = new PublicRegisterProjection();
            register.apply(new ProjectRegistered("prj-diab", "Parcours de soins du diabète", "Inserm",
                    PurposeCategory.SCIENTIFIC_RESEARCH, List.of("CNAM"), List.of("DCIR"), LocalDate.parse("2026-03-01"),
                    LocalDate.parse("2028-02-29"), "staff:admin", T0), 0);
            register.apply(new PermitApproved("prj-diab", "HDAB-2026-17", T0.plusSeconds(3600), "staff:admin"), 1);
            return register;
        }

        @Bean
        OptOutStatisticsProjection statistics() {
            return new OptOutStatisticsProjection();
        }
    }

    @MockitoBean
    VerifiableLog log;

    @MockitoBean
    AnchoringPort anchoring;

    @MockitoBean
    CitizenSignIn citizenSignIn;

    @Autowired
    MockMvc mvc;

    @Test
    void the_register_lists_a_permitted_project_in_french_by_default() throws Exception {
        mvc.perform(get("/register"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Parcours de soins du diabète")))
                .andExpect(content().string(Matchers.containsString("lang=\"fr\"")));
    }

    @Test
    void a_sheet_shows_the_permit_and_an_unknown_project_is_a_404_page() throws Exception {
        mvc.perform(get("/register/prj-diab").param("lang", "en"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("HDAB-2026-17")));
        mvc.perform(get("/register/prj-none"))
                .andExpect(status().isNotFound());
    }
}
