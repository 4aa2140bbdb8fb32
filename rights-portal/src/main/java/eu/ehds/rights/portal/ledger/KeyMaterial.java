package eu.ehds.rights.portal.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a secret from the environment or from a file in the data directory, generating the file on first
 * start. The secret itself is never logged.
 */
public final class KeyMaterial {

    private static final Logger LOG = LoggerFactory.getLogger(KeyMaterial.class);

    private KeyMaterial() {
    }

    public static byte[] load(String fromEnvironment, Path dataDir, String fileName, int generatedLength, String what) {
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            try {
                return Base64.getDecoder().decode(fromEnvironment.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the " + what + " supplied in the environment is not base64");
            }
        }
        Path file = dataDir.resolve(fileName);
        try {
            if (Files.exists(file)) {
                return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            }
            Files.createDirectories(dataDir);
            byte[] secret = new byte[generatedLength];
            new SecureRandom().nextBytes(secret);
            Path tmp = Files.createTempFile(dataDir, fileName, ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                LOG.warn("cannot restrict permissions of {} on this file system", tmp);
            }
            Files.writeString(tmp, Base64.getEncoder().encodeToString(secret) + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file);
            LOG.info("generated a new {} in {}", what, file.toAbsolutePath());
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the " + what + " in " + dataDir, e);
        }
    }
}
