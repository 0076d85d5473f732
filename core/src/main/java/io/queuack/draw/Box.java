package io.queuack.draw;

/**
 * One task in a {@link Picture}.
 *
 * @param id     unique in the whole picture (groups included)
 * @param label  the task's name
 * @param detail a second line (state and duration, kind), or empty
 * @param shade  its colour
 * @param group  for a sub-DAG or fan-out: the picture drawn inside the box; else null
 */
public record Box(String id, String label, String detail, Shade shade, Picture group) {
}
