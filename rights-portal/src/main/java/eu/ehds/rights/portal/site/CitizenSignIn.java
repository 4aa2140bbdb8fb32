package eu.ehds.rights.portal.site;

import eu.ehds.rights.portal.idp.LocalIdentityProvider;
import eu.ehds.rights.portal.web.PortalProperties;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.stereotype.Component;

/**
 * The citizens' identity provider as an OAuth2 client registration named {@value #REGISTRATION}: the local provider
 * under the {@code local-idp} profile, otherwise the one configured under {@code portal.oidc}. Endpoints are explicit:
 * nothing is discovered at start-up (the local provider is this very server, not serving yet).
 */
@Component
public class CitizenSignIn implements ClientRegistrationRepository, Iterable<ClientRegistration> {

    public static final String REGISTRATION = "citizen";

    private final PortalProperties properties;
    private final Environment environment;
    private final ObjectProvider<LocalIdentityProvider> localProvider;
    private volatile ClientRegistration registration;

    CitizenSignIn(PortalProperties properties, Environment environment,
                  ObjectProvider<LocalIdentityProvider> localProvider) {
        this.properties = properties;
        this.environment = environment;
        this.localProvider = localProvider;
    }

    /** Whether citizens can sign in at all (a provider is configured or the local one runs). */
    public boolean available() {
        return localProvider.getIfAvailable() != null || (properties.oidc() != null && properties.oidc().configured());
    }

    public boolean local() {
        return localProvider.getIfAvailable() != null;
    }


    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        return REGISTRATION.equals(registrationId) ? registration().orElse(null) : null;
    }

    @Override
    public Iterator<ClientRegistration> iterator() {
        return registration().stream().iterator();
    }

    private Optional<ClientRegistration> registration() {
        if (!available()) {
            return Optional.empty();
        }
        if (registration == null) {
            registration = build();
        }
        return Optional.of(registration);
    }

    private ClientRegistration build() {
        ClientRegistration.Builder builder = ClientRegistration.withRegistrationId(REGISTRATION)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .userNameAttributeName("sub")
                .clientName("citizen identity provider");
        LocalIdentityProvider local = localProvider.getIfAvailable();
        if (local != null) {
            // the provider is this server: its issuer is the address the server listens on
            String issuer = LocalIdentityProvider.issuer(environment);
            String base = issuer + LocalIdentityProvider.PATH;
            return builder.clientId(LocalIdentityProvider.CLIENT_ID).clientSecret(local.clientSecret())
                    .scope(List.of("openid", "profile")).issuerUri(issuer)
                    .authorizationUri(base + "/oauth2/authorize").tokenUri(base + "/oauth2/token")
                    .jwkSetUri(base + "/oauth2/jwks").build();
        }
        PortalProperties.Oidc oidc = properties.oidc();
        return builder.clientId(oidc.clientId()).clientSecret(oidc.clientSecret()).scope(oidc.scopes())
                .issuerUri(oidc.issuerUri()).authorizationUri(oidc.authorizationUri()).tokenUri(oidc.tokenUri())
                .jwkSetUri(oidc.jwkSetUri()).build();
    }
}
