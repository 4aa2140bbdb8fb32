package eu.ehds.rights.portal.security;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.common.Require;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Web accounts of data holders' staff, each bound to one data holder. Admins create them; the password is
 * generated, shown once and stored only as a hash.
 */
@Service
public class HolderAccounts {

    /** A created or reset account, with the only copy of its password. */
    public record Issued(String username, String dataHolder, String password) {
    }

    public record Account(String username, String dataHolder, Instant createdAt, boolean disabled) {
    }

    /** The staff accounts' names cannot be taken by data holders. */
    private static final Set<String> RESERVED = Set.of("admin", "auditor");

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final ApiKeys apiKeys;
    private final SecureRandom random = new SecureRandom();

    public HolderAccounts(JdbcClient jdbc, PasswordEncoder encoder, ApiKeys apiKeys) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.apiKeys = apiKeys;
    }

    public Issued create(String username, String dataHolder) {
        String name = validUsername(username);
        String holder = Require.text(dataHolder, "dataHolder", 200);
        String password = newPassword();
        try {
            jdbc.sql("INSERT INTO portal_account (username, data_holder, password_hash) VALUES (?, ?, ?)")
                    .params(name, holder, encoder.encode(password)).update();
        } catch (DuplicateKeyException e) {
            throw new ConflictException("an account named '" + name + "' already exists");
        }
        return new Issued(name, holder, password);
    }

    /**
     * A new password; the account's live sessions end at their next request (see {@link HolderSessions}) and the API
     * keys it created are revoked: whoever knew the old password may have made some.
     */
    public Issued resetPassword(String username) {
        String password = newPassword();
        int updated = jdbc.sql("UPDATE portal_account SET password_hash = ?, disabled_at = NULL WHERE username = ?")
                .params(encoder.encode(password), username).update();
        if (updated == 0) {
            throw new NotFoundException("no account named '" + username + "'");
        }
        apiKeys.revokeCreatedBy(username);
        return new Issued(username, find(username).map(Stored::dataHolder).orElseThrow(), password);
    }

    /** Disables the account: its sessions end at their next request, and the API keys it created are revoked. */
    public void disable(String username) {
        int updated = jdbc.sql("UPDATE portal_account SET disabled_at = CURRENT_TIMESTAMP "
                + "WHERE username = ? AND disabled_at IS NULL").param(username).update();
        if (updated == 0) {
            throw new NotFoundException("no active account named '" + username + "'");
        }
        apiKeys.revokeCreatedBy(username);
    }

    public List<Account> list() {
        return jdbc.sql("SELECT username, data_holder, created_at, disabled_at FROM portal_account "
                        + "ORDER BY data_holder, username")
                .query((rs, n) -> new Account(rs.getString(1), rs.getString(2),
                        rs.getTimestamp(3).toInstant(), rs.getObject(4) != null))
                .list();
    }

    /** What sign-in needs of an account. */
    record Stored(String username, String dataHolder, String passwordHash, boolean disabled) {
    }

    Optional<Stored> find(String username) {
        return jdbc.sql("SELECT username, data_holder, password_hash, disabled_at FROM portal_account WHERE username = ?")
                .param(username)
                .query((rs, n) -> new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4) != null))
                .optional();
    }

    private static String validUsername(String username) {
        if (username == null || !username.matches("[a-z0-9][a-z0-9._-]{2,63}")) {
            throw new InvalidRequestException("a username has 3 to 64 characters: lowercase letters, digits, '.', '_' "
                    + "or '-', starting with a letter or digit");
        }
        if (RESERVED.contains(username)) {
            throw new ConflictException("the username '" + username + "' is reserved for staff");
        }
        return username;
    }

    private String newPassword() {
        byte[] bytes = new byte[15];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
