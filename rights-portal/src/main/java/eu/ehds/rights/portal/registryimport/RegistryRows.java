package eu.ehds.rights.portal.registryimport;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.ledger.identity.InvalidNirException;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The rows of an existing opt-out registry: {@code nir,scope,registered_at,channel,withdrawn_at}, one opt-out each.
 * A row is checked whole before anything is recorded; what is wrong is named without quoting the row's values (a NIR
 * misplaced in any column must not reach a report or a log). The NIR is pseudonymised here and goes no further.
 */
final class RegistryRows {

    static final List<String> HEADER = List.of("nir", "scope", "registered_at", "channel", "withdrawn_at");
    /** A date without a time is the start of that day in France, where the registries were kept. */
    static final ZoneId REGISTRY_ZONE = ZoneId.of("Europe/Paris");

    /** A row that can be recorded: the person's pseudonym and the opt-out with its original dates. */
    record Row(long line, String person, OptOutScope scope, Instant registeredAt, Channel channel,
               Instant withdrawnAt) {
    }

    private final Pseudonymiser pseudonymiser;
    private final Instant now;

    RegistryRows(Pseudonymiser pseudonymiser, Instant now) {
        this.pseudonymiser = pseudonymiser;
        this.now = now;
    }

    /** Checks the header names the five columns in order (case and surrounding spaces aside). */
    static void requireHeader(List<String> fields) {
        List<String> names = withoutTrailingBlanks(fields).stream().map(f -> f.strip().toLowerCase(Locale.ROOT))
                .toList();
        if (!names.equals(HEADER)) {
            throw new RegistryRowException("the first line must be the header " + String.join(",", HEADER));
        }
    }

    /** The fields without empty ones at the end (a spreadsheet's export may add an empty column). */
    private static List<String> withoutTrailingBlanks(List<String> fields) {
        int n = fields.size();
        while (n > HEADER.size() && fields.get(n - 1).isBlank()) {
            n--;
        }
        return fields.subList(0, n);
    }

    Row parse(long line, List<String> all) {
        List<String> fields = withoutTrailingBlanks(all);
        if (fields.size() != HEADER.size()) {
            throw new RegistryRowException("expected 5 columns (" + String.join(",", HEADER) + "), found " + fields.size());
        }
        String person;
        try {
            person = pseudonymiser.pseudonymise(Nir.parse(fields.get(0).strip()));
        } catch (InvalidNirException e) {
            throw new RegistryRowException("nir: " + e.getMessage());
        }
        OptOutScope scope = scope(fields.get(1).strip());
        Instant registeredAt = instant(fields.get(2).strip(), "registered_at");
        Channel channel = channel(fields.get(3).strip());
        String withdrawn = fields.get(4).strip();
        Instant withdrawnAt = withdrawn.isEmpty() ? null : instant(withdrawn, "withdrawn_at");
        if (withdrawnAt != null && withdrawnAt.isBefore(registeredAt)) {
            throw new RegistryRowException("withdrawn_at is before registered_at");
        }
        return new Row(line, person, scope, registeredAt, channel, withdrawnAt);
    }

    private static OptOutScope scope(String value) {
        if (value.equalsIgnoreCase("GLOBAL")) {
            return OptOutScope.global();
        }
        int colon = value.indexOf(':');
        String type = colon < 0 ? value : value.substring(0, colon).toUpperCase(Locale.ROOT);
        String rest = colon < 0 ? "" : value.substring(colon + 1).strip();
        if (type.equals("PURPOSE")) {
            return Arrays.stream(PurposeCategory.values()).filter(p -> p.name().equals(rest.toUpperCase(Locale.ROOT)))
                    .findFirst().map(OptOutScope::purpose).orElseThrow(() -> new RegistryRowException(
                            "scope: unknown purpose category; expected PURPOSE:one of "
                                    + Arrays.toString(PurposeCategory.values())));
        }
        if (type.equals("PROJECT") && rest.matches("[A-Za-z0-9._:-]{1,100}")) {
            return OptOutScope.project(rest);
        }
        throw new RegistryRowException("scope must be GLOBAL, PURPOSE:<category> or PROJECT:<project id>");
    }

    private Instant instant(String value, String column) {
        Instant at;
        try {
            at = value.length() == 10 ? LocalDate.parse(value).atStartOfDay(REGISTRY_ZONE).toInstant()
                    : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException e) {
            throw new RegistryRowException(column + " must be a date (2024-03-15) or a date and time with its offset "
                    + "(2024-03-15T10:30:00+01:00)");
        }
        if (at.isAfter(now)) {
            throw new RegistryRowException(column + " is in the future");
        }
        return at;
    }

    private static Channel channel(String value) {
        return Arrays.stream(Channel.values()).filter(c -> c.name().equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new RegistryRowException("channel must be one of " + Arrays.toString(Channel.values())));
    }
}
