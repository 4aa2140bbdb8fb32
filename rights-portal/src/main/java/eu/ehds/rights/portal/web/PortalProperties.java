package eu.ehds.rights.portal.web;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

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
 * @param verifyMaxUpload      the largest receipt file {@code /verify} takes
 * @param concurrentUploads    extract uploads one data holder account may run at once
 * @param nirResolver          where the NIR of a citizen's pivot identity is asked, when the provider does not carry it
 * @param stateBrand           whether pages show the State's emblem (Marianne) and its font: they are reserved for
 *                             State services, so another operator of the portal turns them off
 */
@ConfigurationProperties("portal")
public record PortalProperties(
        Oidc oidc,
        LocalIdp localIdp,
        @DefaultValue("10") int statisticsThreshold,
        @DefaultValue("10") int signInsPerMinute,
        @DefaultValue("30") int uploadsPerHour,
        @DefaultValue("24h") Duration deliveredFilesKeptFor,
        @DefaultValue("1MB") DataSize verifyMaxUpload,
        @DefaultValue("2") int concurrentUploads,
        NirResolverSettings nirResolver,
        @DefaultValue("true") boolean stateBrand) {

    /**
     * A NIR resolver over HTTP ({@code PORTAL_NIR_RESOLVER_URL}, {@code _TOKEN}); without a URL the NIR is read from
     * the ID token's claim {@code PORTAL_OIDC_NIR_CLAIM}.
     */
    public record NirResolverSettings(java.net.URI url, String token, @DefaultValue("5s") Duration timeout) {
    }

    /** Whether citizens' NIRs come from a resolver over HTTP rather than from a claim. */
    public boolean resolvesNirOverHttp() {
        return nirResolver != null && nirResolver.url() != null && !nirResolver.url().toString().isBlank();
    }

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

        /** A provider named only in part is refused at start, saying what is missing (the issuer too). */
        public Oidc {
            if (anySet(clientId, clientSecret, issuerUri, authorizationUri, tokenUri, jwkSetUri)) {
                List<String> missing = new java.util.ArrayList<>();
                if (!present(clientId)) {
                    missing.add("PORTAL_OIDC_CLIENT_ID");
                }
                if (!present(issuerUri)) {
                    missing.add("PORTAL_OIDC_ISSUER");
                }
                if (!present(authorizationUri)) {
                    missing.add("PORTAL_OIDC_AUTHORIZATION_URI");
                }
                if (!present(tokenUri)) {
                    missing.add("PORTAL_OIDC_TOKEN_URI");
                }
                if (!present(jwkSetUri)) {
                    missing.add("PORTAL_OIDC_JWK_SET_URI");
                }
                if (!missing.isEmpty()) {
                    throw new IllegalArgumentException("the citizens' identity provider is configured in part: set "
                            + String.join(", ", missing) + " as well (the issuer is checked in every ID token)");
                }
            }
        }

        public boolean configured() {
            return present(clientId) && present(issuerUri) && present(authorizationUri) && present(tokenUri)
                    && present(jwkSetUri);
        }

        /** Whether any of the provider's settings is given. */
        public boolean anySet() {
            return anySet(clientId, clientSecret, issuerUri, authorizationUri, tokenUri, jwkSetUri);
        }

        private static boolean anySet(String... values) {
            return java.util.Arrays.stream(values).anyMatch(Oidc::present);
        }

        private static boolean present(String value) {
            return value != null && !value.isBlank();
        }
    }

    /**
     * The demo provider's settings. {@code clientSecret} and {@code clientRedirectUris} let it serve as the provider of
     * other nodes (a cluster's test or demonstration): they name it with {@code PORTAL_OIDC_*}, this secret, and the
     * load balancer's redirect address. {@code people} sign in there, with the NIR it asserts for them. By default the
     * secret is generated at start and only this server is a client.
     */
    public record LocalIdp(@DefaultValue("demo-password") String password, List<DemoPerson> people,
                           String clientSecret, List<String> clientRedirectUris) {
    }

    /** A demo person: the NIR, and the pivot identity a FranceConnect-style provider would give instead. */
    public record DemoPerson(String username, String givenName, String familyName, String nir, String birthdate,
                             String gender, String birthplace) {
    }
}
