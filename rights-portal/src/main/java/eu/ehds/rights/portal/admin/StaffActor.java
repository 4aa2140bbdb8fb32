package eu.ehds.rights.portal.admin;

import java.security.Principal;

/** How staff appear in events: {@code staff:<username>}. */
final class StaffActor {

    private StaffActor() {
    }

    static String of(Principal principal) {
        return "staff:" + principal.getName();
    }
}
