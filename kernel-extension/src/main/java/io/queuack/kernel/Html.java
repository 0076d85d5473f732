package io.queuack.kernel;

/** Small HTML helpers for self-contained outputs (no scripts, no external styles). */
final class Html {

    private Html() {
    }

    static String escape(Object value) {
        String text = String.valueOf(value);
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** @return a table: one header row, then the rows; every cell escaped */
    static String table(Iterable<?> header, Iterable<? extends Iterable<?>> rows) {
        StringBuilder html = new StringBuilder("<table class=\"queuack\"><thead><tr>");
        header.forEach(cell -> html.append("<th>").append(escape(cell)).append("</th>"));
        html.append("</tr></thead><tbody>");
        for (Iterable<?> row : rows) {
            html.append("<tr>");
            row.forEach(cell -> html.append("<td>").append(escape(cell)).append("</td>"));
            html.append("</tr>");
        }
        return html.append("</tbody></table>").toString();
    }
}
