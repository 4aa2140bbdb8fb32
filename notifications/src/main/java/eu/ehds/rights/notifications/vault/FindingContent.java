package eu.ehds.rights.notifications.vault;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.ledger.log.CanonicalJson;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The content of a finding, kept in the vault: the clinical summary for the professional, the plain-language notice
 * for the person, and, when the data holder chooses a treating professional, that professional's name and address.
 * The log holds only {@link #commitment}: SHA-256 of the canonical JSON of the content and a random salt, so that
 * the hash reveals nothing about a short text yet proves it while the content exists.
 */
public record FindingContent(String clinicalSummary, String personNotice, String salt, String professionalName,
                             String professionalEmail) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    public static FindingContent of(String clinicalSummary, String personNotice) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return new FindingContent(clinicalSummary, personNotice, Base64.getEncoder().encodeToString(salt), null, null);
    }

    public FindingContent withProfessional(String name, String email) {
        return new FindingContent(clinicalSummary, personNotice, salt, name, email);
    }

    /** What the log commits to: the summary, the notice and the salt (not the later professional's details). */
    public String commitment() {
        ObjectNode committed = JSON.createObjectNode().put("clinicalSummary", clinicalSummary)
                .put("personNotice", personNotice).put("salt", salt);
        return Sha256.hex(CanonicalJson.write(committed));
    }

    public static String recordId(String findingId) {
        return "finding:" + findingId;
    }

    public void store(ContentVault vault, String findingId) {
        try {
            vault.put(recordId(findingId), JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Optional<FindingContent> load(ContentVault vault, String findingId) {
        return vault.get(recordId(findingId)).map(bytes -> {
            try {
                return JSON.readValue(bytes, FindingContent.class);
            } catch (IOException e) {
                throw new IllegalStateException("a finding's content is not readable", e);
            }
        });
    }
}
