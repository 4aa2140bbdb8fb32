package eu.ehds.rights.portal.web;

import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.citizen.CitizenUserService;
import eu.ehds.rights.portal.security.PortalAccounts;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The pages' security: sessions, CSRF tokens on every form, a strict content security policy, no caching of pages,
 * a fresh session id at sign-in, rate-limited sign-in and uploads, and a role for each area:
 * citizens (OpenID Connect) under {@code /my}, data holders under {@code /holder}, staff under {@code /admin},
 * auditors under {@code /audit}; the register, statistics and receipt verification are public.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class WebSecurityConfiguration {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebSecurityConfiguration.class);

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @Bean
    @Order(3)
    SecurityFilterChain pages(HttpSecurity http, PortalAccounts accounts, CitizenSignIn citizens,
                              Pseudonymiser pseudonymiser, RateLimiter limiter) throws Exception {
        http.authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.GET, "/", "/register", "/register/**", "/statistics", "/verify",
                                "/accessibility", "/login", "/css/**", "/js/**", "/favicon.ico").permitAll()
                        .requestMatchers(HttpMethod.POST, "/verify").permitAll()
                        .requestMatchers("/error", "/oauth2/authorization/**", "/login/oauth2/**").permitAll()
                        .requestMatchers("/my", "/my/**").hasRole("CITIZEN")
                        .requestMatchers("/holder", "/holder/**").hasRole("DATA_HOLDER")
                        .requestMatchers("/admin", "/admin/**").hasRole("ADMIN")
                        .requestMatchers("/audit", "/audit/**").hasAnyRole("AUDITOR", "ADMIN")
                        .requestMatchers(HttpMethod.GET, "/signed-in").authenticated()
                        .anyRequest().denyAll())
                .userDetailsService(accounts)
                .formLogin(f -> f.loginPage("/login").loginProcessingUrl("/login").failureUrl("/login?error")
                        .defaultSuccessUrl("/signed-in", true))
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/?signedOut"))
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .addFilterBefore(limiter.signInFilter("/login"), UsernamePasswordAuthenticationFilter.class)
                .addFilterBefore(limiter.uploadFilter("/holder/extracts"), UsernamePasswordAuthenticationFilter.class)
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        if (citizens.available()) {
            DefaultOAuth2AuthorizationRequestResolver requests =
                    new DefaultOAuth2AuthorizationRequestResolver(citizens, "/oauth2/authorization");
            requests.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
            http.oauth2Login(o -> o.loginPage("/login").clientRegistrationRepository(citizens)
                    .authorizationEndpoint(e -> e.authorizationRequestResolver(requests))
                    .userInfoEndpoint(u -> u.oidcUserService(new CitizenUserService(pseudonymiser, citizens.nirClaim())))
                    .failureHandler((request, response, failure) -> {
                        LOG.warn("citizen sign-in failed: {}", failure.getMessage()); // never holds the NIR
                        response.sendRedirect(request.getContextPath() + "/login?citizenError");
                    })
                    .defaultSuccessUrl("/my", true));
        }
        return http.build();
    }
}
