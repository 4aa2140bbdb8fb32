package eu.ehds.rights.portal.idp;

import eu.ehds.rights.portal.web.PortalProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.env.Environment;

/**
 * Where the demonstration identity provider must not run: beside a real provider's settings, behind secure cookies
 * (HTTPS, i.e. a real deployment), or on an address other than loopback. Any of these refuses the start.
 */
final class DemoGuard {

    private DemoGuard() {
    }

    static void check(PortalProperties properties, Environment environment) {
        List<String> reasons = new ArrayList<>();
        if (properties.oidc() != null && properties.oidc().anySet()) {
            reasons.add("PORTAL_OIDC_* names a real identity provider");
        }
        if (environment.getProperty("server.servlet.session.cookie.secure", Boolean.class, false)) {
            reasons.add("PORTAL_SECURE_COOKIES is true");
        }
        String address = environment.getProperty("server.address", "127.0.0.1");
        if (!loopback(address)) {
            reasons.add("the server listens on " + address + ", not on loopback");
        }
        if (!reasons.isEmpty()) {
            throw new IllegalStateException("the demonstration identity provider (profile local-idp) lets anyone sign "
                    + "in as its fictitious people, and must not run here: " + String.join("; ", reasons)
                    + ". Remove the local-idp profile to use the configured provider, or remove these settings for a "
                    + "local demonstration.");
        }
    }

    private static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
