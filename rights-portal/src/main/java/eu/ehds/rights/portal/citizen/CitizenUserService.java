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
    private final NirResolver resolver;

    public CitizenUserService(Pseudonymiser pseudonymiser, NirResolver resolver) {
        this.pseudonymiser = pseudonymiser;
        this.resolver = resolver;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        OidcUser user = delegate.loadUser(request);
        Map<String, Object> claims = user.getIdToken().getClaims();
        String pseudonym;
        try {
            pseudonym = pseudonymiser.pseudonymise(Nir.parse(resolver.resolve(claims)));
        } catch (NirResolver.NirNotResolved e) {
            throw new OAuth2AuthenticationException(new OAuth2Error("nir_not_resolved", e.getMessage(), null));
        } catch (NirResolver.ResolverUnavailable e) {
            throw new OAuth2AuthenticationException(new OAuth2Error("nir_resolver_unavailable", e.getMessage(), null));
        } catch (InvalidRequestException e) {
            // the message never holds the value
            throw new OAuth2AuthenticationException(new OAuth2Error("invalid_nir",
                    "the identity provider or resolver gave no valid national identifier", null));
        }
        Map<String, Object> kept = new HashMap<>(resolver.withoutNir(claims));
        OidcIdToken withoutNir = new OidcIdToken("redacted",
                user.getIdToken().getIssuedAt(), user.getIdToken().getExpiresAt(), kept);
        return new CitizenPrincipal(pseudonym, displayName(kept), withoutNir);
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
