package io.queuack.worker;

import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a worker serves HTTP: {@code port} (on loopback) or {@code host:port}; port 0 picks a free one. */
final class ListenAddress {

    private static final Pattern FORM = Pattern.compile("(?:(\\[[0-9a-fA-F:.]+]|[^:\\s\\[\\]]{1,253}):)?(\\d{1,5})");

    private ListenAddress() {
    }

    /** @throws IllegalArgumentException with a message that names {@code option} and the accepted forms */
    static InetSocketAddress parse(String option, String text) {
        Matcher matcher = FORM.matcher(text.strip());
        int port = matcher.matches() ? Integer.parseInt(matcher.group(2)) : -1;
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(option + " takes a port (0 to 65535, served on 127.0.0.1) or host:port,"
                    + " e.g. 9464 or 0.0.0.0:9464; got '" + text + "'");
        }
        String host = matcher.group(1) == null ? "127.0.0.1" : matcher.group(1).replace("[", "").replace("]", "");
        return new InetSocketAddress(host, port);
    }
}
