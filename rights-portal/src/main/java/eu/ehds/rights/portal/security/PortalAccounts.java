package eu.ehds.rights.portal.security;

import java.util.List;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * Who may sign in with a password on the portal's form: the staff accounts first, then data holders' accounts.
 * (Citizens sign in through their identity provider, never with a password here.)
 */
public final class PortalAccounts implements UserDetailsService {

    /** A data holder's account: the holder it acts for travels with the principal. */
    public static final class HolderUser extends User {
        private final String dataHolder;
        private final String stamp;

        HolderUser(String username, String passwordHash, boolean enabled, String dataHolder) {
            super(username, passwordHash, enabled, true, true, true,
                    List.of(new SimpleGrantedAuthority("ROLE_DATA_HOLDER")));
            this.dataHolder = dataHolder;
            this.stamp = HolderSessions.stamp(passwordHash);
        }

        /** Identifies the password this session signed in with (the hash itself is erased after sign-in). */
        String stamp() {
            return stamp;
        }

        public String dataHolder() {
            return dataHolder;
        }

        @Override
        public boolean equals(Object other) {
            return super.equals(other);
        }

        @Override
        public int hashCode() {
            return super.hashCode();
        }
    }

    private final InMemoryUserDetailsManager staff;
    private final HolderAccounts holders;

    public PortalAccounts(InMemoryUserDetailsManager staff, HolderAccounts holders) {
        this.staff = staff;
        this.holders = holders;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        if (staff.userExists(username)) {
            return staff.loadUserByUsername(username);
        }
        return holders.find(username)
                .map(a -> new HolderUser(a.username(), a.passwordHash(), !a.disabled(), a.dataHolder()))
                .orElseThrow(() -> new UsernameNotFoundException("no such account"));
    }
}
