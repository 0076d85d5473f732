package io.queuack.kernel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a notebook shows for a value, kernel-agnostic: representations by MIME type, richest first, always
 * with {@code text/plain} (what a terminal or an untrusted notebook shows).
 *
 * @param data representation by MIME type
 */
public record MimeBundle(Map<String, String> data) {

    /** SVG pictures. */
    public static final String SVG = "image/svg+xml";
    /** HTML tables and summaries. */
    public static final String HTML = "text/html";
    /** Mermaid source, which JupyterLab 4 draws natively. */
    public static final String MERMAID = "text/vnd.mermaid";
    /** Plain text, the fallback every front end shows. */
    public static final String TEXT = "text/plain";

    public MimeBundle {
        data = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(data, "data")));
        if (!data.containsKey(TEXT)) {
            throw new IllegalArgumentException("A bundle needs a text/plain representation");
        }
    }

    /** @return a bundle of plain text only */
    public static MimeBundle text(String text) {
        return new MimeBundle(Map.of(TEXT, text));
    }

    /** @return this bundle with one more representation, placed before the existing ones */
    public MimeBundle with(String mimeType, String content) {
        Map<String, String> richer = new LinkedHashMap<>();
        richer.put(Objects.requireNonNull(mimeType, "mimeType"), Objects.requireNonNull(content, "content"));
        data.forEach(richer::putIfAbsent);
        return new MimeBundle(richer);
    }
}
