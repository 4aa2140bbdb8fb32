package eu.ehds.rights.portal.citizen;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * A citizen signed in through their identity provider, known to the portal only by pseudonym and display name:
 * the NIR the provider asserted is pseudonymised at sign-in and removed from the token kept in the session.
 */
public final class CitizenPrincipal implements OidcUser, java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final String pseudonym;
    private final String displayName;
    private final OidcIdToken idToken;

    CitizenPrincipal(String pseudonym, String displayName, OidcIdToken idTokenWithoutNir) {
        this.pseudonym = pseudonym;
        this.displayName = displayName;
        this.idToken = idTokenWithoutNir;
    }

    public String pseudonym() {
        return pseudonym;
    }

    public String displayName() {
        return displayName;
    }

    @Override
    public Map<String, Object> getClaims() {
        return idToken.getClaims();
    }

    @Override
    public OidcUserInfo getUserInfo() {
        return null;
    }

    @Override
    public OidcIdToken getIdToken() {
        return idToken;
    }

    @Override
    public Map<String, Object> getAttributes() {
        return idToken.getClaims();
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(new SimpleGrantedAuthority("ROLE_CITIZEN"));
    }

    /** The pseudonym: safe to appear wherever Spring names the principal. */
    @Override
    public String getName() {
        return pseudonym;
    }
}
