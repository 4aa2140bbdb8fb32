package eu.ehds.rights.portal.cli;

import eu.ehds.rights.ledger.checkpoint.LogKey;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The log keys a command trusts: the history the ledger serves ({@code GET /api/v1/log/keys}, each key with the tree
 * sizes it signed), narrowed to the keys the user pins with {@code --public-key} when any are given, so that after a
 * rotation what was signed by an earlier key still verifies with that key, for its tree sizes only.
 */
final class TrustedKeys {

    private TrustedKeys() {
    }

    /** The keys of a {@code /api/v1/log/keys} document. */
    static NoteVerifier served(JsonNode document) {
        List<LogKey> keys = new ArrayList<>();
        for (JsonNode key : document.path("keys")) {
            JsonNode last = key.path("lastTreeSize");
            keys.add(new LogKey(key.path("publicKey").asString(), key.path("firstTreeSize").asLong(),
                    last.isNumber() ? last.asLong() : null));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the document lists no key (expected GET /api/v1/log/keys's answer)");
        }
        return new NoteVerifier(document.path("origin").asString(), keys);
    }

    /** The served keys that are pinned, or null when none is; all served keys when nothing is pinned. */
    static NoteVerifier pinned(NoteVerifier served, List<String> pinned) {
        if (pinned == null || pinned.isEmpty()) {
            return served;
        }
        List<LogKey> kept = served.keys().stream().filter(k -> pinned.contains(k.publicKey())).toList();
        return kept.isEmpty() ? null : new NoteVerifier(served.keyName(), kept);
    }

    /** Keys given on the command line alone, without their tree sizes: each is accepted for any size. */
    static NoteVerifier given(String origin, List<String> publicKeys) {
        return new NoteVerifier(origin, publicKeys.stream().map(k -> LogKey.only(Base64.getDecoder().decode(k)))
                .toList());
    }

    static String describe(NoteVerifier keys) {
        return keys.keys().size() == 1 ? "key " + keys.keys().get(0).publicKey()
                : keys.keys().size() + " keys (current " + keys.keys().get(keys.keys().size() - 1).publicKey() + ")";
    }
}
