package eu.ehds.rights.portal.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ehds.rights.ledger.api.signing.RotateSigningKeyCommand;
import eu.ehds.rights.ledger.api.signing.SigningKeyRotated;
import eu.ehds.rights.ledger.checkpoint.LogKey;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.ledger.log.VerifiableLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The history of the keys that signed the log's checkpoints, read from the log itself: each rotation is an entry
 * ({@link SigningKeyRotated}), the retired key having signed tree sizes up to that entry's index, the new key every
 * size from the one that includes it. Verifiers take the whole history, so everything issued before a rotation stays
 * verifiable after it; this node signs only while its key is the current one.
 *
 * <pre>{@code
 * NoteVerifier verifier = logKeys.verifier();   // accepts each key for the tree sizes it signed
 * }</pre>
 */
public class LogKeys implements VerifiableLog.SigningCheck {

    /** A rotation as the log records it: the entry's index and the two keys. */
    public record Rotation(long leafIndex, String previousKey, String nextKey, Instant rotatedAt) {
    }

    private static final ObjectMapper STORAGE = LedgerConfiguration.storageMapper();

    private final JdbcClient jdbc;
    private final NoteSigner signer;

    public LogKeys(JdbcClient jdbc, NoteSigner signer) {
        this.jdbc = jdbc;
        this.signer = signer;
    }

    public String origin() {
        return signer.keyName();
    }

    public List<Rotation> rotations() {
        return jdbc.sql("SELECT l.leaf_index, e.payload FROM domain_event_entry e JOIN log_leaf l "
                        + "ON l.event_identifier = e.event_identifier WHERE e.aggregate_identifier = ? "
                        + "ORDER BY e.sequence_number")
                .param(RotateSigningKeyCommand.keysId(signer.keyName()))
                .query((rs, n) -> {
                    SigningKeyRotated event;
                    try {
                        event = STORAGE.readValue(rs.getBytes(2), SigningKeyRotated.class);
                    } catch (IOException e) {
                        throw new UncheckedIOException("a stored key rotation cannot be read", e);
                    }
                    return new Rotation(rs.getLong(1), event.previousKey(), event.nextKey(), event.rotatedAt());
                })
                .list();
    }

    /** Every key, oldest first, with the tree sizes it signed; the last one is current. */
    public List<LogKey> history() {
        return history(rotations(), signer.publicKey());
    }

    static List<LogKey> history(List<Rotation> rotations, byte[] unrotated) {
        if (rotations.isEmpty()) {
            return List.of(LogKey.only(unrotated));
        }
        List<LogKey> keys = new ArrayList<>();
        long first = 0;
        for (Rotation rotation : rotations) {
            // the rotation's own entry at index i is first covered by tree size i + 1, signed by the next key
            keys.add(new LogKey(rotation.previousKey(), first, rotation.leafIndex()));
            first = rotation.leafIndex() + 1;
        }
        keys.add(new LogKey(rotations.get(rotations.size() - 1).nextKey(), first, null));
        return List.copyOf(keys);
    }

    public NoteVerifier verifier() {
        return new NoteVerifier(signer.keyName(), history());
    }

    public LogKey current() {
        List<LogKey> keys = history();
        return keys.get(keys.size() - 1);
    }

    /** Refuses to sign with a key the log has retired (a node left running through a rotation). */
    @Override
    public void beforeSigning(long treeSize) {
        LogKey current = current();
        String mine = Base64.getEncoder().encodeToString(signer.publicKey());
        if (!current.publicKey().equals(mine)) {
            throw new IllegalStateException("this node's signing key " + mine + " was retired: the log is signed by "
                    + current.publicKey() + " from tree size " + current.firstTreeSize() + "; restart this node with "
                    + "the current LEDGER_SIGNING_KEY");
        }
    }
}
