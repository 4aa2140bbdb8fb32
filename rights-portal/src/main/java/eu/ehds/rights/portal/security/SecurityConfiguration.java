package eu.ehds.rights.portal.security;

import eu.ehds.rights.portal.ledger.LedgerProperties;
import eu.ehds.rights.portal.web.Throttles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * The API's security. Staff authenticate with HTTP Basic; the {@code admin} and {@code auditor} accounts exist only
 * when their passwords are supplied in the environment; the log's public endpoints need no login. The pages have a
 * chain of their own ({@code site.WebSecurityConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    InMemoryUserDetailsManager staffAccounts(LedgerProperties properties) {
        PasswordEncoder encoder = staffPasswordEncoder();
        List<UserDetails> users = new ArrayList<>();
        if (properties.adminPassword() != null && !properties.adminPassword().isBlank()) {
            users.add(User.withUsername("admin").password(encoder.encode(properties.adminPassword()))
                    .roles("ADMIN").build());
        }
        if (properties.auditorPassword() != null && !properties.auditorPassword().isBlank()) {
            users.add(User.withUsername("auditor").password(encoder.encode(properties.auditorPassword()))
                    .roles("AUDITOR").build());
        }
        if (users.isEmpty()) {
            LOG.warn("no staff account: set LEDGER_ADMIN_PASSWORD and LEDGER_AUDITOR_PASSWORD to create them");
        }
        return new InMemoryUserDetailsManager(users);
    }

    /**
     * Staff passwords are hashed at a cost that makes a stolen hash slow to crack; the API does not pay it on every
     * request ({@link StaffCredentials} remembers a verified credential briefly).
     */
    static PasswordEncoder staffPasswordEncoder() {
        return new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(STAFF_BCRYPT_COST)));
    }

    static final int STAFF_BCRYPT_COST = 12;

    /** Rate limits and failed sign-in counts: the whole service's, in the database its nodes share. */
    @Bean
    Throttles throttles(javax.sql.DataSource dataSource) {
        return Throttles.of(dataSource, FailedSignIns.MAX_KEYS);
    }

    /** Failed sign-ins per address and user name, for the API's Basic and the portal's form alike. */
    @Bean
    FailedSignIns failedSignIns(Throttles throttles) {
        return new FailedSignIns(throttles);
    }

    /** Staff and data holders' staff on the portal's sign-in form. */
    @Bean
    PortalAccounts portalAccounts(InMemoryUserDetailsManager staffAccounts, HolderAccounts holderAccounts) {
        return new PortalAccounts(staffAccounts, holderAccounts);
    }

    /** The HTTP API: staff with HTTP Basic (staff accounts only), data holders with API keys; no session. */
    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, ApiKeys apiKeys, InMemoryUserDetailsManager staffAccounts,
                            FailedSignIns failedSignIns) throws Exception {
        http.securityMatcher("/api/**", "/v3/api-docs", "/v3/api-docs/**", "/actuator/**", "/fhir/**")
                // not the manager itself: as a password service it would "upgrade" the hashes to the default cost
                .authenticationProvider(new StaffCredentials(staffAccounts::loadUserByUsername, staffPasswordEncoder()))
                .addFilterBefore(new CrossSiteRequests(), BasicAuthenticationFilter.class)
                .addFilterBefore(new SignInAttempts(failedSignIns), BasicAuthenticationFilter.class)
                .addFilterBefore(new ApiKeyAuthenticationFilter(apiKeys), BasicAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(ApiProblems.unauthorized())
                        .accessDeniedHandler(ApiProblems.forbidden()))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, "/api/v1/log/checkpoint", "/api/v1/log/public-key", "/api/v1/log/keys",
                                "/api/v1/log/proof/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/log/entries", "/api/v1/log/tile/entries/**")
                        .hasAnyRole("AUDITOR", "ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/v1/log/tile/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/anchors/status").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/anchors/verify").hasAnyRole("AUDITOR", "ADMIN")
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/actuator/health",
                                "/actuator/health/liveness", "/actuator/health/readiness", "/actuator/info").permitAll()
                        .requestMatchers("/actuator/**").hasAnyRole("AUDITOR", "ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/v1/findings").hasRole("DATA_USER")
                        .requestMatchers(HttpMethod.GET, "/api/v1/findings/forwarded", "/api/v1/findings/*/content")
                        .hasRole("DATA_HOLDER")
                        .requestMatchers(HttpMethod.POST, "/api/v1/findings/*/acknowledgement").hasRole("DATA_HOLDER")
                        .requestMatchers("/api/v1/findings/**", "/api/v1/notifications/**").hasRole("ADMIN")
                        .requestMatchers("/api/v1/projects/*/api-keys/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/v1/projects/**", "/api/v1/opt-outs/**",
                                "/api/v1/consents/**", "/api/v1/notification-objections/**", "/api/v1/mandates/**")
                        .hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/v1/decisions/read-model/**").hasRole("ADMIN")
                        .requestMatchers("/api/v1/decisions/**").hasAnyRole("ADMIN", "AUDITOR", "DATA_HOLDER")
                        .requestMatchers("/api/v1/extracts/**").hasRole("DATA_HOLDER")
                        .requestMatchers(HttpMethod.POST, "/api/v1/transparency/**").hasAnyRole("ADMIN", "AUDITOR")
                        .requestMatchers("/api/v1/data-holders/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/v1/registry-imports").hasRole("ADMIN")
                        // the Consent Registry: its capabilities for anyone, reads as the decision API, writes by staff
                        .requestMatchers(HttpMethod.GET, "/fhir/metadata").permitAll()
                        .requestMatchers(HttpMethod.GET, "/fhir/Consent", "/fhir/Consent/*")
                        .hasAnyRole("ADMIN", "AUDITOR", "DATA_HOLDER")
                        .requestMatchers(HttpMethod.POST, "/fhir/Consent").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.PUT, "/fhir/Consent/*").hasRole("ADMIN")
                        .anyRequest().denyAll())
                .httpBasic(b -> b.authenticationEntryPoint(ApiProblems.unauthorized()))
                // a stateless API authenticated on every request: no session, so no CSRF token to protect. Left on,
                // its filter would rotate the CSRF token of a portal session whose cookie came along with the request.
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }
}
