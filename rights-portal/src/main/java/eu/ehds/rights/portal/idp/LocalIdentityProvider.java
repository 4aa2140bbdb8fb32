package eu.ehds.rights.portal.idp;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.portal.web.PortalProperties;
import eu.ehds.rights.portal.web.RateLimiter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * A local OpenID Connect provider (Spring Authorization Server) for the embedded default and tests, under the
 * {@code local-idp} profile: a few demo people sign in with a password and the provider asserts their NIR in the ID
 * token, as a FranceConnect-style provider would. The portal signs citizens in through it with the same OAuth2
 * client code as with a real provider.
 *
 * <p>It shares the application's session but keeps its own security context and saved request in it, so being
 * signed in at the provider never counts as being signed in at the portal.
 */
@Configuration(proxyBeanMethods = false)
@Profile("local-idp")
@ConditionalOnWebApplication
public class LocalIdentityProvider {

    private static final Logger LOG = LoggerFactory.getLogger(LocalIdentityProvider.class);

    public static final String PATH = "/idp";
    public static final String CLIENT_ID = "rights-portal";
    static final String CONTEXT_KEY = "LOCAL_IDP_SECURITY_CONTEXT";

    /** Generated at start, unless configured: the portal and its own provider are then the only ones who know it. */
    private final String clientSecret;

    /**
     * Anyone who reaches the port signs in as the demo people: the provider runs only when asked for, and refuses to
     * run where it could be mistaken for production.
     */
    LocalIdentityProvider(PortalProperties properties, Environment environment) {
        DemoGuard.check(properties, environment);
        String configured = properties.localIdp().clientSecret();
        this.clientSecret = configured == null || configured.isBlank() ? UUID.randomUUID().toString() : configured;
        LOG.warn("DEMONSTRATION identity provider active under {}: anyone who reaches this server signs in as the "
                + "fictitious demo people. Never use it in production.", PATH);
    }

    public String clientSecret() {
        return clientSecret;
    }

    /** The provider's base address, on the port the server actually listens on. */
    public static String issuer(Environment environment) {
        return "http://127.0.0.1:" + environment.getProperty("local.server.port",
                environment.getProperty("server.port", "8080"));
    }

    @Bean
    @Order(1)
    SecurityFilterChain localIdentityProviderChain(HttpSecurity http, PortalProperties properties,
                                                   PasswordEncoder encoder, Environment environment,
                                                   RateLimiter limiter) throws Exception {
        OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
        contexts.setSpringSecurityContextKey(CONTEXT_KEY);
        HttpSessionRequestCache requests = new HttpSessionRequestCache();
        requests.setSessionAttrName("LOCAL_IDP_SAVED_REQUEST");
        http.securityMatcher(new OrRequestMatcher(server.getEndpointsMatcher(), paths.matcher(PATH + "/**")))
                .with(server, s -> s.registeredClientRepository(clients(environment, properties))
                        .authorizationServerSettings(AuthorizationServerSettings.builder()
                                .authorizationEndpoint(PATH + "/oauth2/authorize")
                                .tokenEndpoint(PATH + "/oauth2/token")
                                .jwkSetEndpoint(PATH + "/oauth2/jwks")
                                .tokenRevocationEndpoint(PATH + "/oauth2/revoke")
                                .tokenIntrospectionEndpoint(PATH + "/oauth2/introspect")
                                .oidcUserInfoEndpoint(PATH + "/userinfo")
                                .oidcLogoutEndpoint(PATH + "/connect/logout")
                                .build())
                        .oidc(Customizer.withDefaults()))
                .authorizeHttpRequests(a -> a.requestMatchers(PATH + "/login").permitAll().anyRequest().authenticated())
                .formLogin(f -> f.loginPage(PATH + "/login").loginProcessingUrl(PATH + "/login")
                        .failureUrl(PATH + "/login?error"))
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint(PATH + "/login"),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
                .securityContext(c -> c.securityContextRepository(contexts))
                .requestCache(c -> c.requestCache(requests))
                .userDetailsService(demoPeople(properties, encoder))
                .addFilterBefore(limiter.signInFilter(PATH + "/login"),
                        org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter.class)
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(
                        "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; form-action 'self' "
                                + "http://127.0.0.1:* http://localhost:*; frame-ancestors 'none'; base-uri 'none'")));
        LOG.warn("local demo identity provider enabled at {}: demo people only, not for production",
                PATH + "/login");
        return http.build();
    }

    /** The portal as the provider's only client; its redirect addresses depend on the port, known once serving. */
    private RegisteredClientRepository clients(Environment environment, PortalProperties properties) {
        return new RegisteredClientRepository() {
            private volatile RegisteredClientRepository delegate;

            private RegisteredClientRepository delegate() {
                if (delegate == null) {
                    String port = environment.getProperty("local.server.port", environment.getProperty("server.port"));
                    delegate = new InMemoryRegisteredClientRepository(RegisteredClient.withId(CLIENT_ID)
                            .clientId(CLIENT_ID)
                            .clientSecret("{noop}" + clientSecret)
                            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                            .redirectUri("http://127.0.0.1:" + port + "/login/oauth2/code/citizen")
                            .redirectUri("http://localhost:" + port + "/login/oauth2/code/citizen")
                            .redirectUris(uris -> uris.addAll(otherClients(properties)))
                            .scope(OidcScopes.OPENID).scope(OidcScopes.PROFILE)
                            .clientSettings(ClientSettings.builder().requireAuthorizationConsent(false)
                                    .requireProofKey(true).build())
                            .build());
                }
                return delegate;
            }

            @Override
            public void save(RegisteredClient registeredClient) {
                delegate().save(registeredClient);
            }

            @Override
            public RegisteredClient findById(String id) {
                return delegate().findById(id);
            }

            @Override
            public RegisteredClient findByClientId(String clientId) {
                return delegate().findByClientId(clientId);
            }
        };
    }

    /** Redirect addresses of other nodes' sign-ins, on loopback only: the provider is never for production. */
    private static List<String> otherClients(PortalProperties properties) {
        List<String> uris = properties.localIdp().clientRedirectUris() == null ? List.of()
                : properties.localIdp().clientRedirectUris().stream().filter(u -> !u.isBlank()).toList();
        for (String uri : uris) {
            if (!uri.startsWith("http://127.0.0.1:") && !uri.startsWith("http://localhost:")) {
                throw new IllegalStateException("PORTAL_DEMO_CLIENT_REDIRECT_URIS may name loopback addresses only, "
                        + "not " + uri);
            }
        }
        return uris;
    }

    private static InMemoryUserDetailsManager demoPeople(PortalProperties properties, PasswordEncoder encoder) {
        String password = encoder.encode(properties.localIdp().password());
        return new InMemoryUserDetailsManager(people(properties).stream()
                .<org.springframework.security.core.userdetails.UserDetails>map(p -> User.withUsername(p.username())
                        .password(password).roles("DEMO_PERSON").build())
                .toList());
    }

    private static List<PortalProperties.DemoPerson> people(PortalProperties properties) {
        List<PortalProperties.DemoPerson> people = properties.localIdp().people() == null ? List.of()
                : properties.localIdp().people();
        people.forEach(p -> Nir.parse(p.nir())); // a bad demo NIR fails the start, not a sign-in
        return people;
    }

    /**
     * The ID token carries the person's names and pivot identity, and their NIR unless a NIR resolver is configured
     * (real providers do not carry it).
     */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> localIdentityClaims(PortalProperties properties) {
        Map<String, PortalProperties.DemoPerson> byUsername = people(properties).stream()
                .collect(Collectors.toMap(PortalProperties.DemoPerson::username, p -> p));
        String nirClaim = properties.nirClaim();
        return context -> {
            if (!OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
                return;
            }
            PortalProperties.DemoPerson person = byUsername.get(context.getPrincipal().getName());
            if (person != null) {
                context.getClaims().claim("given_name", person.givenName()).claim("family_name", person.familyName());
                if (!properties.resolvesNirOverHttp()) {
                    context.getClaims().claim(nirClaim, person.nir());
                }
                // the pivot identity, as FranceConnect gives it; a NIR resolver works from it
                if (person.birthdate() != null) {
                    context.getClaims().claim("birthdate", person.birthdate());
                }
                if (person.gender() != null) {
                    context.getClaims().claim("gender", person.gender());
                }
                if (person.birthplace() != null) {
                    context.getClaims().claim("birthplace", person.birthplace());
                }
            }
        };
    }

    /** The provider's userinfo endpoint checks access tokens with its own keys. */
    @Bean
    JwtDecoder localIdentityTokenDecoder(JWKSource<SecurityContext> localIdentityKeys) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(localIdentityKeys);
    }

    @Bean
    JWKSource<SecurityContext> localIdentityKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyID(UUID.randomUUID().toString()).build();
            return new ImmutableJWKSet<>(new JWKSet(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
