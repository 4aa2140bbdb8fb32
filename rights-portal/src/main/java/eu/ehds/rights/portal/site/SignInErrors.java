package eu.ehds.rights.portal.site;

import java.util.Set;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;

/**
 * What of a failed citizen sign-in may reach the log: an error code from a fixed list (RFC 6749 and OpenID Connect's
 * codes, and this portal's own), never the provider's description or anything else the browser sent.
 */
final class SignInErrors {

    private static final Set<String> KNOWN = Set.of("invalid_request", "unauthorized_client", "access_denied",
            "unsupported_response_type", "invalid_scope", "server_error", "temporarily_unavailable",
            "interaction_required", "login_required", "account_selection_required", "consent_required",
            "invalid_request_uri", "invalid_request_object", "request_not_supported", "request_uri_not_supported",
            "registration_not_supported", "invalid_grant", "invalid_client", "unsupported_grant_type",
            "invalid_token", "invalid_id_token", "invalid_nonce", "invalid_state_parameter",
            "authorization_request_not_found", "client_registration_not_found", "invalid_user_info_response",
            "missing_user_info_uri", "missing_user_name_attribute", "invalid_token_response", "invalid_nir",
            "nir_not_resolved", "nir_resolver_unavailable");

    private SignInErrors() {
    }

    static String code(AuthenticationException failure) {
        if (failure instanceof OAuth2AuthenticationException oauth && oauth.getError() != null) {
            String code = oauth.getError().getErrorCode();
            return KNOWN.contains(code) ? code : "unknown_error";
        }
        return failure.getClass().getSimpleName();
    }
}
