package eu.ehds.rights.portal.citizen;

import java.util.Map;

/**
 * The step from what the citizen's identity provider asserts to the person's NIR. FranceConnect-style providers give
 * a pivot identity (names, birth date and place, sex), not the NIR; the health identifier (INS, i.e. the NIR) is then
 * obtained from a service such as INSi. Two implementations: {@link ClaimNirResolver} reads a configured claim (a
 * provider that carries it, or the demonstration provider); {@link HttpNirResolver} asks a resolver over HTTP.
 *
 * <pre>{@code
 * NirResolver resolver = new ClaimNirResolver("nir");
 * String nir = resolver.resolve(idToken.getClaims()); // throws NirNotResolved when there is none
 * }</pre>
 */
public interface NirResolver {

    /** The person's NIR as text (validated by the caller), from the ID token's claims. */
    String resolve(Map<String, Object> claims);

    /** The claims to keep in the session after sign-in: those that carry a NIR are dropped. */
    default Map<String, Object> withoutNir(Map<String, Object> claims) {
        return claims;
    }

    /** No NIR could be found for this identity: sign-in fails with a page saying what to do. */
    final class NirNotResolved extends RuntimeException {
        public NirNotResolved(String message) {
            super(message);
        }
    }

    /** The resolver could not be asked (down, timed out, refused): sign-in fails, to be tried again. */
    final class ResolverUnavailable extends RuntimeException {
        public ResolverUnavailable(String message) {
            super(message);
        }
    }
}
