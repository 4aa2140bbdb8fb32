package eu.ehds.rights.portal.citizen;

import java.util.HashMap;
import java.util.Map;

/** The NIR is a claim of the ID token, named in configuration ({@code PORTAL_OIDC_NIR_CLAIM}, default {@code nir}). */
public final class ClaimNirResolver implements NirResolver {

    private final String claim;

    public ClaimNirResolver(String claim) {
        this.claim = claim;
    }

    @Override
    public String resolve(Map<String, Object> claims) {
        Object value = claims.get(claim);
        if (value == null) {
            throw new NirNotResolved("the identity provider gave no claim '" + claim + "'");
        }
        return value.toString();
    }

    @Override
    public Map<String, Object> withoutNir(Map<String, Object> claims) {
        Map<String, Object> kept = new HashMap<>(claims);
        kept.remove(claim);
        return kept;
    }
}
