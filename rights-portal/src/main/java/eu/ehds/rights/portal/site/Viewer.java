package eu.ehds.rights.portal.site;

import eu.ehds.rights.portal.citizen.CitizenPrincipal;
import eu.ehds.rights.portal.security.PortalAccounts;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;

/** Who is looking at a page, as the layout shows it. */
public record Viewer(Kind kind, String displayName, String dataHolder) {

    public enum Kind { ANONYMOUS, CITIZEN, DATA_HOLDER, ADMIN, AUDITOR }

    public static Viewer of(Authentication authentication) {
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated()) {
            return new Viewer(Kind.ANONYMOUS, null, null);
        }
        Object principal = authentication.getPrincipal();
        if (principal instanceof CitizenPrincipal citizen) {
            return new Viewer(Kind.CITIZEN, citizen.displayName(), null);
        }
        if (principal instanceof PortalAccounts.HolderUser holder) {
            return new Viewer(Kind.DATA_HOLDER, holder.getUsername(), holder.dataHolder());
        }
        boolean admin = authentication.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
        return new Viewer(admin ? Kind.ADMIN : Kind.AUDITOR, authentication.getName(), null);
    }

    public boolean signedIn() {
        return kind != Kind.ANONYMOUS;
    }

    public boolean citizen() {
        return kind == Kind.CITIZEN;
    }

    public boolean holder() {
        return kind == Kind.DATA_HOLDER;
    }

    public boolean admin() {
        return kind == Kind.ADMIN;
    }

    public boolean auditor() {
        return kind == Kind.AUDITOR || kind == Kind.ADMIN;
    }
}
