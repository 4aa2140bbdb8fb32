package eu.ehds.rights.portal.idp;

import eu.ehds.rights.portal.web.PortalProperties;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The local identity provider's own sign-in page (it is not the portal's: it names the demo people). */
@Controller
@Profile("local-idp")
class LocalIdentityProviderPages {

    private final PortalProperties properties;

    LocalIdentityProviderPages(PortalProperties properties) {
        this.properties = properties;
    }

    @GetMapping(LocalIdentityProvider.PATH + "/login")
    String login(Model model) {
        model.addAttribute("people", properties.localIdp().people() == null ? ""
                : properties.localIdp().people().stream().map(PortalProperties.DemoPerson::username)
                        .collect(Collectors.joining(", ")));
        return "idp/login";
    }
}
