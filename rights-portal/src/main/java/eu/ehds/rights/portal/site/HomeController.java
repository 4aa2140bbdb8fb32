package eu.ehds.rights.portal.site;

import eu.ehds.rights.portal.web.PortalPage;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The home page, the sign-in page, the accessibility statement, and where each kind of user lands after sign-in. */
@Controller
@PortalPage
class HomeController {

    private final CitizenSignIn citizens;

    HomeController(CitizenSignIn citizens) {
        this.citizens = citizens;
    }

    @GetMapping("/")
    String home(@org.springframework.web.bind.annotation.RequestParam(required = false) String signedOut, Model model) {
        model.addAttribute("signedOut", signedOut != null);
        return "home";
    }

    @GetMapping("/login")
    String login(Model model) {
        model.addAttribute("citizenSignIn", citizens.available());
        model.addAttribute("localProvider", citizens.local());
        return "login";
    }

    @GetMapping("/accessibility")
    String accessibility() {
        return "accessibility";
    }

    @GetMapping("/signed-in")
    String signedIn(Authentication authentication) {
        return "redirect:" + switch (Viewer.of(authentication).kind()) {
            case ADMIN -> "/admin";
            case AUDITOR -> "/audit";
            case DATA_HOLDER -> "/holder";
            case CITIZEN -> "/my";
            case ANONYMOUS -> "/login";
        };
    }
}
