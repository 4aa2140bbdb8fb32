package eu.ehds.rights.portal.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/** Dates and times as people read them, in the page's language and the portal's time zone ({@code fmt} in pages). */
public final class Formats {

    /** The portal's time zone: people in France read times as Paris time. */
    public static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final Locale locale;
    private final ZoneId zone;

    public Formats(Locale locale, ZoneId zone) {
        this.locale = locale;
        this.zone = zone;
    }

    public String dateTime(Instant at) {
        return at == null ? "" : first(DateTimeFormatter.ofLocalizedDateTime(FormatStyle.LONG, FormatStyle.SHORT)
                .withLocale(locale).withZone(zone).format(at));
    }

    public String date(Instant at) {
        return at == null ? "" : first(DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale)
                .withZone(zone).format(at));
    }

    /** An instant as a document carries it (ISO 8601, UTC), written for the reader; unreadable text as it is. */
    public String dateTime(String iso) {
        try {
            return iso == null || iso.isBlank() ? "" : dateTime(Instant.parse(iso));
        } catch (java.time.format.DateTimeParseException e) {
            return iso;
        }
    }

    /** French writes the first day of a month as an ordinal: "1er janvier 2035", not "1 janvier 2035". */
    private String first(String formatted) {
        return "fr".equals(locale.getLanguage()) && formatted.startsWith("1 ") ? "1er " + formatted.substring(2)
                : formatted;
    }

    public String time(Instant at) {
        return at == null ? "" : DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(locale).withZone(zone)
                .format(at);
    }

    /** The last day something valid until {@code end} (exclusive) is valid on. */
    public String lastDay(Instant end) {
        return end == null ? "" : date(end.minusMillis(1));
    }

    public String date(LocalDate day) {
        return day == null ? "" : first(DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale).format(day));
    }

    public String month(YearMonth month) {
        return month == null ? "" : DateTimeFormatter.ofPattern("MMMM yyyy", locale).format(month);
    }

    public String number(long n) {
        return java.text.NumberFormat.getIntegerInstance(locale).format(n);
    }
}
