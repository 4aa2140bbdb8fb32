package eu.ehds.rights.portal.admin;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.project.Projects;
import eu.ehds.rights.portal.site.CitizenSignIn;
import eu.ehds.rights.portal.web.PortalProperties;
import eu.ehds.rights.portal.web.Refusals;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The staff project API as a slice: routes, JSON in and out, statuses and the replay header, with the write service
 * standing aside; its security is the integration tests' (AccessControlIT).
 */
@WebMvcTest(controllers = ProjectAdminController.class)
@AutoConfigureMockMvc(addFilters = false)
@EnableConfigurationProperties(PortalProperties.class)
class ProjectAdminControllerTest {

    private static final TestingAuthenticationToken STAFF = new TestingAuthenticationToken("admin", null);

    @MockitoBean
    Projects projects;

    @MockitoBean
    CitizenSignIn citizenSignIn; // for the pages' advice, which every slice loads

    @MockitoBean
    Refusals refusals;

    @Autowired
    MockMvc mvc;

    @Test
    void a_permit_without_a_date_is_sent_as_asked_and_answered_201_with_its_leaf() throws Exception {
        when(projects.approvePermit(eq("prj-1"), eq("HDAB-17"), isNull(), eq("staff:admin"), eq("permit-key-1")))
                .thenReturn(new CommandReceipt("prj-1", 12, 13, false));

        mvc.perform(post("/api/v1/projects/prj-1/permit").principal(STAFF).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"permitId\":\"HDAB-17\",\"idempotencyKey\":\"permit-key-1\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Idempotent-Replayed", "false"))
                .andExpect(jsonPath("$.leafIndex").value(12))
                .andExpect(jsonPath("$.treeSize").value(13));
    }

    @Test
    void a_usage_answers_its_id_and_a_conflict_is_a_409_problem() throws Exception {
        when(projects.recordUsage(eq("prj-1"), any(), eq("staff:admin"), eq("usage-key-1")))
                .thenReturn(new Projects.RecordedUsage("use-1", new CommandReceipt("prj-1", 20, 21, true)));
        when(projects.close(eq("prj-2"), eq("staff:admin"), any()))
                .thenThrow(new ConflictException("the project is already closed"));

        mvc.perform(post("/api/v1/projects/prj-1/usages").principal(STAFF).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"dataHolder\":\"CNAM\",\"dataset\":\"DCIR\",\"personCount\":3,"
                                + "\"idempotencyKey\":\"usage-key-1\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Idempotent-Replayed", "true"))
                .andExpect(jsonPath("$.usageId").value("use-1"));
        mvc.perform(post("/api/v1/projects/prj-2/closure").principal(STAFF).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"idempotencyKey\":\"closure-key-1\"}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value("the project is already closed"));
        verify(projects).close("prj-2", "staff:admin", "closure-key-1");
    }
}
