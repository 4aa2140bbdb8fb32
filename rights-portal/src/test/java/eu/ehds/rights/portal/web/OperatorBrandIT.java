package eu.ehds.rights.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.portal.support.EmbeddedLedger;
import eu.ehds.rights.portal.support.PortalSession;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The State's emblem and its Marianne font are reserved for State services: an operator that is not the State turns
 * them off ({@code PORTAL_STATE_BRAND=false}) and every page, error pages included, shows neither.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OperatorBrandIT {

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "operator-brand-it");
        registry.add("portal.state-brand", () -> "false");
    }

    @LocalServerPort
    int port;

    @Test
    void another_operator_shows_no_state_emblem_and_no_marianne_font() {
        PortalSession anyone = new PortalSession(port);
        for (String path : new String[] {"/", "/register", "/login", "/register/prj-no-such-project"}) {
            String page = anyone.get(path).body();
            assertThat(page).as(path).doesNotContain("fr-logo").doesNotContain("République")
                    .contains("class=\"brand-neutral\"").contains("/dsfr/dsfr.min.css");
        }
        // the stylesheet that replaces Marianne for such operators
        assertThat(anyone.get("/css/portal.css").body()).contains("html.brand-neutral").contains("system-ui");
    }
}
