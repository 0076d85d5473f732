package io.queuack.draw;

/**
 * A dependency: {@code to} waits for {@code from}.
 *
 * @param from   the upstream box's id
 * @param to     the downstream box's id
 * @param dashed true when {@code to} is in ANY mode (one success is enough)
 */
public record Link(String from, String to, boolean dashed) {
}
