package io.queuack.text;

/**
 * Lone UTF-16 surrogates: a Java string may hold them, but UTF-8 cannot, and the stores would silently
 * replace them with {@code ?}. Keys are refused, JSON keeps them as escapes, free text gets U+FFFD.
 */
public final class Text {

    private static final char REPLACEMENT = '\uFFFD';

    private Text() {
    }

    /** @return the index of the first surrogate without its pair, or -1 if the text is well formed */
    public static int loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** @return {@code json} with each lone surrogate (only found inside JSON strings) written as a {@code \\uXXXX} escape */
    public static String escapeLoneSurrogates(String json) {
        return replaceLoneSurrogates(json, true);
    }

    /** @return free text (messages, errors) with each lone surrogate replaced by U+FFFD, or null for null */
    public static String wellFormed(String text) {
        return text == null ? null : replaceLoneSurrogates(text, false);
    }

    private static String replaceLoneSurrogates(String text, boolean escape) {
        int first = loneSurrogate(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (!Character.isSurrogate(c)) {
                out.append(c);
            } else if (escape) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(REPLACEMENT);
            }
        }
        return out.toString();
    }
}
