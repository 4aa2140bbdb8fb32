package eu.ehds.rights.portal.web;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.text.MessagePattern;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.MessageSource;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.NoSuchMessageException;
import org.springframework.stereotype.Component;

/**
 * The portal's words ({@code messages.properties}, English, and {@code messages_fr.properties}) formatted as ICU
 * messages, so that a sentence can agree with its numbers ({@code {0, plural, one {# ligne} other {# lignes}}}).
 * Replaces Spring Boot's message source (the bean's name is the one it looks for). A language without its own file
 * reads the English one, never the server's default locale.
 */
@Component("messageSource")
public class IcuMessages implements MessageSource {

    private static final String BUNDLE = "messages";
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final Map<String, Compiled> formats = new ConcurrentHashMap<>();

    @Override
    public String getMessage(String code, Object[] args, String defaultMessage, Locale locale) {
        String pattern = pattern(code, locale);
        if (pattern == null) {
            return defaultMessage == null ? null : format(defaultMessage, args, locale);
        }
        return format(pattern, args, locale);
    }

    @Override
    public String getMessage(String code, Object[] args, Locale locale) {
        String pattern = pattern(code, locale);
        if (pattern == null) {
            throw new NoSuchMessageException(code, locale);
        }
        return format(pattern, args, locale);
    }

    @Override
    public String getMessage(MessageSourceResolvable resolvable, Locale locale) {
        String[] codes = resolvable.getCodes() == null ? new String[0] : resolvable.getCodes();
        for (String code : codes) {
            String pattern = pattern(code, locale);
            if (pattern != null) {
                return format(pattern, resolvable.getArguments(), locale);
            }
        }
        if (resolvable.getDefaultMessage() != null) {
            return format(resolvable.getDefaultMessage(), resolvable.getArguments(), locale);
        }
        throw new NoSuchMessageException(codes.length == 0 ? "" : codes[codes.length - 1], locale);
    }

    private static String pattern(String code, Locale locale) {
        if (code == null) {
            return null;
        }
        try {
            return ResourceBundle.getBundle(BUNDLE, locale == null ? Locale.ENGLISH : locale, NO_FALLBACK).getString(code);
        } catch (MissingResourceException e) {
            return null;
        }
    }

    /** Without arguments the text is returned as written, as Spring's own message source does. */
    private String format(String pattern, Object[] args, Locale locale) {
        if (args == null || args.length == 0) {
            return pattern;
        }
        Locale language = locale == null ? Locale.ENGLISH : locale;
        Compiled compiled = formats.computeIfAbsent(language.toLanguageTag() + '\u0000' + pattern,
                k -> new Compiled(new MessageFormat(pattern, language), pluralArguments(pattern)));
        Object[] values = compiled.numbersForPlurals(args);
        synchronized (compiled.format()) { // a MessageFormat is not thread-safe
            return compiled.format().format(values);
        }
    }

    /** A message compiled once: its format, and the arguments its plurals count with. */
    private record Compiled(MessageFormat format, int[] plurals) {

        /**
         * A plural chooses its words by a number: an argument given as text (a count carried by a refusal or a
         * verification step) is read as one where the message counts with it, and only there.
         */
        Object[] numbersForPlurals(Object[] args) {
            if (plurals.length == 0) {
                return args;
            }
            Object[] values = args.clone();
            for (int index : plurals) {
                if (index < values.length && values[index] instanceof String text && text.matches("-?\\d{1,18}")) {
                    values[index] = Long.parseLong(text);
                }
            }
            return values;
        }
    }

    /** The indexes of the arguments the pattern's plurals count with. */
    private static int[] pluralArguments(String pattern) {
        MessagePattern parsed = new MessagePattern(pattern);
        java.util.List<Integer> found = new java.util.ArrayList<>();
        for (int i = 0; i < parsed.countParts() - 1; i++) {
            MessagePattern.Part part = parsed.getPart(i);
            MessagePattern.Part name = parsed.getPart(i + 1);
            if (part.getType() == MessagePattern.Part.Type.ARG_START
                    && part.getArgType() == MessagePattern.ArgType.PLURAL
                    && name.getType() == MessagePattern.Part.Type.ARG_NUMBER) {
                found.add(name.getValue());
            }
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }
}
