package eu.ehds.rights.portal.web;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the portal ({@code portal.*}).
 *
 * @param oidc                 the citizens' identity provider (FranceConnect-style OpenID Connect); ignored under the
 *                             {@code local-idp} profile, which brings its own
 * @param localIdp             the demo people of the local identity provider ({@code local-idp} profile only)
 * @param statisticsThreshold  published counts below this are suppressed (small groups could be re-identified)
 * @param signInsPerMinute     sign-in attempts allowed per client address and minute
 * @param uploadsPerHour       extract uploads allowed per client address and hour
 * @param deliveredFilesKeptFor how long a filtered extract stays downloadable from the portal
 */
@ConfigurationProperties("portal")
public record PortalProperties(
        Oidc oidc,
        LocalIdp localIdp,
        @DefaultValue("10") int statisticsThreshold,
        @DefaultValue("10") int signInsPerMinute,
        @DefaultValue("30") int uploadsPerHour,
        @DefaultValue("24h") Duration deliveredFilesKeptFor) {

    /** The ID token claim holding the person's NIR, for whichever provider signs citizens in. */
    public String nirClaim() {
        return oidc == null ? "nir" : oidc.nirClaim();
    }

    /**
     * An external OpenID Connect provider. Endpoints are given explicitly (no discovery at start-up).
     *
     * @param nirClaim the ID token claim holding the person's NIR
     */
    public record Oidc(String clientId, String clientSecret, String issuerUri, String authorizationUri,
                       String tokenUri, String jwkSetUri, @DefaultValue("nir") String nirClaim,
                       @DefaultValue({"openid", "profile"}) List<String> scopes) {

        public boolean configured() {
            return present(clientId) && present(authorizationUri) && present(tokenUri) && present(jwkSetUri);
        }

        private static boolean present(String value) {
            return value != null && !value.isBlank();
        }
    }

    /** People who can sign in at the local identity provider, with the NIR it asserts for them. */
    public record LocalIdp(@DefaultValue("demo-password") String password, List<DemoPerson> people) {
    }

    public record DemoPerson(String username, String givenName, String familyName, String nir) {
    }
}
