package eu.ehds.rights.portal.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks staff HTTP Basic credentials on the API. Their hashes use a bcrypt cost that makes each check slow (about a
 * quarter of a second here) so that a stolen hash is slow to crack; a credential that verified is then remembered for
 * {@link #REMEMBERED} after its last use under an HMAC with a key of this process, so that each API request does not
 * pay bcrypt again. A wrong password is never remembered, and a changed password's hash no longer matches.
 *
 * <p>Requests that bring the same credential at the same time while it is not remembered share one check and its
 * outcome, a wrong password or an unknown user name too: at 2,000 requests/s, each running its own bcrypt when the
 * memory started empty or lapsed stalled the API for about eight seconds; and a burst of one wrong credential costs
 * one bcrypt whether the user name exists or not.
 */
final class StaffCredentials implements AuthenticationProvider {

    static final Duration REMEMBERED = Duration.ofMinutes(1);
    private static final int MAX_REMEMBERED = 1_000;

    private final UserDetailsService staff;
    private final PasswordEncoder encoder;
    private final LongSupplier nanoTime;
    private final SecretKeySpec key;
    private final Map<String, Long> verifiedUntil = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Boolean>> checking = new ConcurrentHashMap<>(); // being checked
    private final String unknownUserHash;

    StaffCredentials(UserDetailsService staff, PasswordEncoder encoder) {
        this(staff, encoder, System::nanoTime);
    }

    StaffCredentials(UserDetailsService staff, PasswordEncoder encoder, LongSupplier nanoTime) {
        this.staff = staff;
        this.encoder = encoder;
        this.nanoTime = nanoTime;
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
        this.unknownUserHash = encoder.encode(java.util.HexFormat.of().formatHex(bytes));
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String username = authentication.getName();
        String password = String.valueOf(authentication.getCredentials());
        UserDetails user;
        try {
            user = staff.loadUserByUsername(username);
        } catch (UsernameNotFoundException e) {
            check(mac(username + '\0' + password + '\0' + unknownUserHash), password, unknownUserHash);
            throw new BadCredentialsException("bad credentials"); // as slow as a wrong password: timing tells no names
        }
        String remembered = mac(username + '\0' + password + '\0' + user.getPassword());
        if (!remembered(remembered) && !check(remembered, password, user.getPassword())) {
            throw new BadCredentialsException("bad credentials");
        }
        return UsernamePasswordAuthenticationToken.authenticated(user.getUsername(), null, user.getAuthorities());
    }

    /**
     * Runs bcrypt once for the requests that bring the same credential at the same time, and gives each its outcome,
     * a refusal included (the same password and hash always give the same answer); remembers a success.
     */
    private boolean check(String remembered, String password, String hash) {
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = checking.putIfAbsent(remembered, mine);
        if (running != null) {
            return running.join();
        }
        try {
            boolean verified = remembered(remembered) // checked by a request that ended just before this one began
                    || encoder.matches(password, hash);
            if (verified) {
                if (verifiedUntil.size() >= MAX_REMEMBERED) {
                    verifiedUntil.clear(); // staff are few: only a churn of passwords gets here
                }
                verifiedUntil.put(remembered, nanoTime.getAsLong() + REMEMBERED.toNanos());
            }
            mine.complete(verified);
            return verified;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            checking.remove(remembered, mine);
        }
    }

    /** Whether this credential verified within {@link #REMEMBERED} of now; if so, remembered from now on. */
    private boolean remembered(String remembered) {
        long now = nanoTime.getAsLong();
        Long until = verifiedUntil.get(remembered);
        if (until == null || now - until >= 0) {
            return false;
        }
        verifiedUntil.replace(remembered, until, now + REMEMBERED.toNanos());
        return true;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private String mac(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
