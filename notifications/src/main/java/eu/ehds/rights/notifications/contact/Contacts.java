package eu.ehds.rights.notifications.contact;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.notifications.vault.ContentVault;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A person's e-mail address for notices, held encrypted in the vault under their pseudonym, never in the log;
 * erasing it shreds its key.
 */
public final class Contacts {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s.]{2,63}");

    private final ContentVault vault;

    public Contacts(ContentVault vault) {
        this.vault = vault;
    }

    public static String validEmail(String email) {
        String trimmed = email == null ? "" : email.strip();
        if (trimmed.length() > 320 || !EMAIL.matcher(trimmed).matches()) {
            throw new InvalidRequestException("this is not an e-mail address");
        }
        return trimmed;
    }

    public void setEmail(String person, String email) {
        vault.put(recordId(person), validEmail(email).getBytes(StandardCharsets.UTF_8));
    }

    public Optional<String> email(String person) {
        return vault.get(recordId(person)).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    public boolean erase(String person) {
        return vault.shred(recordId(person));
    }

    private static String recordId(String person) {
        return "contact:" + person;
    }
}
