package io.queuack.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Builds a page's HTML. Every piece of stored text (names, arguments, errors) goes through {@link #text}, which
 * escapes it; only the dashboard's own markup is appended raw.
 */
final class Html {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder(4096);

    /** Appends the dashboard's own markup, unescaped. */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Appends text, escaped for an element's content or a quoted attribute. */
    Html text(Object value) {
        out.append(escape(value == null ? "" : value.toString()));
        return this;
    }

    /** Appends {@code <tag attributes>text</tag>}, the text escaped. */
    Html element(String tag, String attributes, Object text) {
        out.append('<').append(tag).append(attributes.isEmpty() ? "" : " ").append(attributes).append('>');
        text(text);
        out.append("</").append(tag).append('>');
        return this;
    }

    /** Appends a link to {@code href} (a relative URL the dashboard built, its values {@link Query#encode encoded}). */
    Html link(String href, Object text) {
        return raw("<a href=\"").text(href).raw("\">").text(text).raw("</a>");
    }

    static String escape(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (replacement != null && escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escaped != null) {
                escaped.append(replacement != null ? replacement : String.valueOf(c));
            }
        }
        return escaped == null ? text : escaped.toString();
    }

    static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** @return a short duration: {@code 850 ms}, {@code 12.3 s}, {@code 4 min 5 s}, {@code 2 h 10 min} */
    static String duration(Duration duration) {
        if (duration == null) {
            return "";
        }
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
