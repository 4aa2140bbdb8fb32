package eu.ehds.rights.portal.ledger;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the ledger ({@code ledger.*}). Secrets come from the environment only (see application.yml);
 * keys not supplied are generated once into {@code dataDir}.
 *
 * @param dataDir         where the embedded database and generated keys live ({@code LEDGER_DATA_DIR})
 * @param sharedDir       where the files every node must read live: cohort files of usages and filtered extracts
 *                        awaiting download ({@code LEDGER_SHARED_DIR}, by default {@code dataDir}); with several
 *                        nodes, one file system mounted on each (NFS, CephFS, a cloud file share)
 * @param origin          the log's origin line and signing key name ({@code LEDGER_LOG_ORIGIN})
 * @param pseudonymKey    base64 HMAC key for NIR pseudonyms, at least 32 bytes ({@code LEDGER_PSEUDONYM_KEY})
 * @param signingKey      base64 32-byte Ed25519 seed for checkpoints ({@code LEDGER_SIGNING_KEY})
 * @param adminPassword   password of the {@code admin} staff account ({@code LEDGER_ADMIN_PASSWORD})
 * @param auditorPassword password of the {@code auditor} staff account ({@code LEDGER_AUDITOR_PASSWORD})
 * @param maxEntriesPage  largest page of the auditors' entries API
 */
@ConfigurationProperties("ledger")
public record LedgerProperties(
        @DefaultValue("./data") Path dataDir,
        Path sharedDir,
        @DefaultValue("rights-ledger.localhost/log") String origin,
        String pseudonymKey,
        String signingKey,
        String adminPassword,
        String auditorPassword,
        @DefaultValue("1000") int maxEntriesPage) {

    /** Staff passwords guard the whole register: refuse to start with a short one. */
    public static final int MIN_STAFF_PASSWORD = 12;

    public LedgerProperties {
        sharedDir = sharedDir == null || sharedDir.toString().isBlank() ? dataDir : sharedDir;
        requireStrong(adminPassword, "LEDGER_ADMIN_PASSWORD");
        requireStrong(auditorPassword, "LEDGER_AUDITOR_PASSWORD");
    }

    private static void requireStrong(String password, String variable) {
        if (password != null && !password.isBlank() && password.length() < MIN_STAFF_PASSWORD) {
            throw new IllegalArgumentException(variable + " has " + password.length() + " characters: a staff "
                    + "password needs at least " + MIN_STAFF_PASSWORD + "; set a longer one, or leave it empty to have "
                    + "no such account");
        }
    }
}
