package eu.ehds.rights.portal.citizen;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import java.util.HashMap;
import java.util.Map;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Turns the identity provider's answer into a {@link CitizenPrincipal}: the NIR claim is validated and
 * pseudonymised here, at the edge, and goes no further.
 */
public final class CitizenUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

    private final OidcUserService delegate = new OidcUserService();
    private final Pseudonymiser pseudonymiser;
    private final String nirClaim;

    public CitizenUserService(Pseudonymiser pseudonymiser, String nirClaim) {
        this.pseudonymiser = pseudonymiser;
        this.nirClaim = nirClaim;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        OidcUser user = delegate.loadUser(request);
        Object claim = user.getIdToken().getClaims().get(nirClaim);
        String pseudonym;
        try {
            pseudonym = pseudonymiser.pseudonymise(Nir.parse(claim == null ? null : claim.toString()));
        } catch (InvalidRequestException e) {
            // the message names the claim, never its value
            throw new OAuth2AuthenticationException(new OAuth2Error("invalid_nir",
                    "the identity provider gave no valid national identifier in claim '" + nirClaim + "'", null));
        }
        Map<String, Object> claims = new HashMap<>(user.getIdToken().getClaims());
        claims.remove(nirClaim);
        OidcIdToken withoutNir = new OidcIdToken("redacted",
                user.getIdToken().getIssuedAt(), user.getIdToken().getExpiresAt(), claims);
        return new CitizenPrincipal(pseudonym, displayName(claims), withoutNir);
    }

    private static String displayName(Map<String, Object> claims) {
        Object given = claims.get("given_name");
        Object family = claims.get("family_name");
        if (given != null || family != null) {
            return ((given == null ? "" : given + " ") + (family == null ? "" : family)).trim();
        }
        Object name = claims.get("name");
        return name == null ? "" : name.toString();
    }
}
