package eu.ehds.rights.portal.citizen;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.notifications.vault.ContentVault;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The name a representative gives the person they represent ("Louis"), so that pages can say "for Louis": kept
 * encrypted in the vault beside the mandate, never in the log, erasable with the vault's record.
 */
@Component
class RepresentedLabels {

    static final int MAX_LENGTH = 60;

    private final ContentVault vault;

    RepresentedLabels(ContentVault vault) {
        this.vault = vault;
    }

    Optional<String> of(String mandateId) {
        return vault.get(recordId(mandateId)).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    void name(String mandateId, String label) {
        String clean = label == null ? "" : label.strip().replaceAll("\\s+", " ");
        if (clean.isEmpty() || clean.length() > MAX_LENGTH || clean.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("representative.label", "a name of 1 to " + MAX_LENGTH + " characters",
                    String.valueOf(MAX_LENGTH));
        }
        vault.put(recordId(mandateId), clean.getBytes(StandardCharsets.UTF_8));
    }

    private static String recordId(String mandateId) {
        return "represented-label:" + mandateId;
    }
}
