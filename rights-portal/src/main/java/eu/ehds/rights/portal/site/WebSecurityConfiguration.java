package eu.ehds.rights.portal.site;

import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.citizen.CitizenUserService;
import eu.ehds.rights.portal.citizen.ClaimNirResolver;
import eu.ehds.rights.portal.citizen.HttpNirResolver;
import eu.ehds.rights.portal.citizen.NirResolver;
import eu.ehds.rights.portal.security.FailedSignIns;
import eu.ehds.rights.portal.security.HolderAccounts;
import eu.ehds.rights.portal.security.HolderSessions;
import eu.ehds.rights.portal.security.PortalAccounts;
import eu.ehds.rights.portal.web.PortalProperties;
import eu.ehds.rights.portal.web.RateLimiter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.filter.OncePerRequestFilter;

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

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @Bean
    @Order(3)
    SecurityFilterChain pages(HttpSecurity http, PortalAccounts accounts, CitizenSignIn citizens,
                              Pseudonymiser pseudonymiser, RateLimiter limiter, FailedSignIns failedSignIns,
                              HolderAccounts holderAccounts, PortalProperties properties,
                              @org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
                              org.springframework.beans.factory.ObjectProvider<
                                      org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping>
                                      mappings) throws Exception {
        http.authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.GET, "/", "/register", "/register/**", "/statistics", "/verify",
                                "/accessibility", "/login", "/css/**", "/js/**", "/dsfr/**", "/favicon.ico", "/favicon.svg").permitAll()
                        .requestMatchers(HttpMethod.POST, "/verify").permitAll()
                        .requestMatchers("/error", "/oauth2/authorization/**", "/login/oauth2/**").permitAll()
                        .requestMatchers("/my", "/my/**").hasRole("CITIZEN")
                        .requestMatchers("/holder", "/holder/**").hasRole("DATA_HOLDER")
                        .requestMatchers("/admin", "/admin/**").hasRole("ADMIN")
                        .requestMatchers("/audit", "/audit/**").hasAnyRole("AUDITOR", "ADMIN")
                        .requestMatchers(HttpMethod.GET, "/signed-in").authenticated()
                        .requestMatchers(new UnmappedPages(mappings)).permitAll() // 404, not 403
                        .anyRequest().denyAll())
                .userDetailsService(accounts)
                .formLogin(f -> f.loginPage("/login").loginProcessingUrl("/login")
                        .failureHandler((request, response, failure) -> {
                            failedSignIns.failed(request.getRemoteAddr(), request.getParameter("username"));
                            response.sendRedirect(request.getContextPath() + "/login?error");
                        })
                        .defaultSuccessUrl("/signed-in", true))
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/?signedOut"))
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .addFilterBefore(limiter.signInFilter("/login"), UsernamePasswordAuthenticationFilter.class)
                .addFilterBefore(formSignInAttempts(failedSignIns), UsernamePasswordAuthenticationFilter.class)
                // before the CSRF check, which would read an upload's body: a disabled account's session ends first
                .addFilterAfter(new HolderSessions(holderAccounts), SecurityContextHolderFilter.class)
                .addFilterBefore(limiter.uploadFilter("/holder/extracts"), UsernamePasswordAuthenticationFilter.class)
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        if (citizens.available()) {
            DefaultOAuth2AuthorizationRequestResolver requests =
                    new DefaultOAuth2AuthorizationRequestResolver(citizens, "/oauth2/authorization");
            requests.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
            http.oauth2Login(o -> o.loginPage("/login").clientRegistrationRepository(citizens)
                    // the provider's access token is needed for nothing after sign-in: it is never kept
                    .authorizedClientRepository(new DiscardedTokens())
                    .authorizationEndpoint(e -> e.authorizationRequestResolver(requests))
                    .userInfoEndpoint(u -> u.oidcUserService(new CitizenUserService(pseudonymiser, nirResolver(properties))))
                    .failureHandler((request, response, failure) -> {
                        // only a known error code: the provider's description is the caller's text, and could forge
                        // log lines (or plant an identifier) if it were logged
                        String code = SignInErrors.code(failure);
                        LOG.warn("citizen sign-in failed: {}", code);
                        response.sendRedirect(request.getContextPath() + "/login?citizenError="
                                + (code.startsWith("nir_") ? code : ""));
                    })
                    .defaultSuccessUrl("/my", false)); // back to the page that asked for sign-in, if any
        }
        return http.build();
    }

    private static NirResolver nirResolver(PortalProperties properties) {
        return properties.resolvesNirOverHttp()
                ? new HttpNirResolver(properties.nirResolver().url(), properties.nirResolver().token(),
                        properties.nirResolver().timeout())
                : new ClaimNirResolver(properties.nirClaim());
    }

    /** The sign-in form under {@link FailedSignIns}: too many failures for the address or the user name, 429. */
    private static OncePerRequestFilter formSignInAttempts(FailedSignIns failedSignIns) {
        return new OncePerRequestFilter() {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                return !HttpMethod.POST.matches(request.getMethod()) || !"/login".equals(request.getServletPath());
            }

            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                long wait = failedSignIns.blockedFor(request.getRemoteAddr(), request.getParameter("username"));
                if (wait > 0) {
                    response.setHeader("Retry-After", Long.toString(wait));
                    response.sendError(429);
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }
}
