package eu.ehds.rights.portal.cli;

import eu.ehds.rights.ledger.api.signing.RotateSigningKeyCommand;
import eu.ehds.rights.ledger.checkpoint.LogKey;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.ledger.log.LogStore;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.portal.cluster.SharedSettings;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import eu.ehds.rights.portal.ledger.LedgerProperties;
import eu.ehds.rights.portal.ledger.LogKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code signing-key list|rotate}: the keys that sign the log's checkpoints. A rotation, run with every node stopped
 * and the current key configured, first issues a checkpoint of the whole log under the current key, then records the
 * rotation as an entry of the log ({@code SigningKeyRotated}) and at once issues a checkpoint under the new key,
 * which signs from the tree size that includes that entry; earlier keys keep verifying what they signed
 * ({@code GET /api/v1/log/keys}). Nodes then start with the new key only.
 */
@Command(name = "signing-key", mixinStandardHelpOptions = true,
        description = "The keys that sign the log's checkpoints: list, rotate.")
final class SigningKeyCommand {

    static final String FILE = "checkpoint-signing.key";

    @ParentCommand
    private Cli cli;

    @Spec
    private CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every key that has signed checkpoints, with the tree sizes it signed.")
    int list() {
        ApplicationContext context = cli.context();
        PrintWriter out = spec.commandLine().getOut();
        for (LogKey key : context.getBean(LogKeys.class).history()) {
            out.printf("%s %s%s%n", key.publicKey(), key.period(), key.current() ? " (current)" : "");
        }
        return 0;
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Replace the signing key; stop every node first, run with the current key configured.",
                    "The new key is generated into the data directory's " + FILE + " when the current key came from "
                            + "there; with LEDGER_SIGNING_KEY, give the new one in a file (--new-key-file)."})
    int rotate(@Option(names = "--new-key-file", description = "a file holding the new key: base64 of a 32-byte "
            + "Ed25519 seed") Path newKeyFile) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ApplicationContext context = cli.context();
        LedgerProperties properties = context.getBean(LedgerProperties.class);
        boolean fromEnvironment = properties.signingKey() != null && !properties.signingKey().isBlank();
        if (fromEnvironment && newKeyFile == null) {
            out.println("signing-key rotate: the current key comes from LEDGER_SIGNING_KEY; give the new key with "
                    + "--new-key-file=FILE (base64 of 32 random bytes), then start every node with it");
            return 2;
        }
        byte[] seed;
        if (newKeyFile != null) {
            try {
                seed = Base64.getDecoder().decode(Files.readString(newKeyFile, StandardCharsets.US_ASCII).strip());
            } catch (IllegalArgumentException e) {
                out.println("signing-key rotate: " + newKeyFile + " does not hold base64");
                return 2;
            }
            if (seed.length != 32) {
                out.println("signing-key rotate: the new key is an Ed25519 seed of 32 bytes, " + newKeyFile
                        + " holds " + seed.length);
                return 2;
            }
        } else {
            seed = NoteSigner.newSeed();
        }
        NoteSigner current = context.getBean(NoteSigner.class);
        NoteSigner next = NoteSigner.fromSeed(current.keyName(), seed);
        LogKeys keys = context.getBean(LogKeys.class);
        String currentKey = Base64.getEncoder().encodeToString(current.publicKey());
        String nextKey = Base64.getEncoder().encodeToString(next.publicKey());
        if (keys.history().stream().anyMatch(k -> k.publicKey().equals(nextKey))) {
            out.println("signing-key rotate: key " + nextKey + " has signed this log before; a retired key never "
                    + "signs again: give a new key");
            return 2;
        }
        // The new key is kept before the rotation is recorded: once recorded, the log is signed by no other key.
        Path pending = null;
        if (!fromEnvironment) {
            pending = properties.dataDir().resolve(FILE + ".next");
            writeSecret(pending, seed);
        }

        VerifiableLog.SignedCheckpoint last = context.getBean(VerifiableLog.class).checkpoint(); // current key
        Map<String, Object> request = Map.of("origin", current.keyName(), "previousKey", currentKey,
                "nextKey", nextKey);
        String idempotencyKey = "signing-key:" + Sha256.hex(nextKey).substring(0, 32);
        CommandReceipt receipt = context.getBean(LedgerCommands.class).submit("signing-keys/rotate", request,
                idempotencyKey, () -> new RotateSigningKeyCommand(RotateSigningKeyCommand.keysId(current.keyName()),
                        current.keyName(), currentKey, nextKey, "operator:signing-key",
                        context.getBean(Clock.class).instant(),
                        idempotencyKey));
        VerifiableLog.SignedCheckpoint first = new VerifiableLog(context.getBean(LogStore.class), next).checkpoint();
        SharedSettings.signingKeyRotated(context.getBean(DataSource.class), next);
        if (pending != null) {
            Files.move(pending, properties.dataDir().resolve(FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        out.printf("rotated: key %s signed tree sizes up to %d (last checkpoint %d); key %s signs from %d, its first "
                        + "checkpoint issued at %d (the rotation is entry %d).%n", currentKey, receipt.leafIndex(),
                last.treeSize(), nextKey, receipt.leafIndex() + 1, first.treeSize(), receipt.leafIndex());
        out.println(fromEnvironment ? "Start every node with LEDGER_SIGNING_KEY set to the content of " + newKeyFile
                + "; a node given the old key refuses to start."
                : "The new key is in " + properties.dataDir().resolve(FILE) + "; start the node.");
        return 0;
    }

    private static void writeSecret(Path file, byte[] seed) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's permissions protect it
        }
        Files.writeString(tmp, Base64.getEncoder().encodeToString(seed) + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
