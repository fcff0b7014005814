package org.kinlink.policy;

/**
 * A field path such as {@code windows[0].from}, built into a string only when a problem is
 * reported: the engine validates every policy on every decision, so valid policies must cost no
 * string building.
 */
final class FieldPath {
    private final FieldPath parent;
    private final String name;
    private final int index;

    private FieldPath(FieldPath parent, String name, int index) {
        this.parent = parent;
        this.name = name;
        this.index = index;
    }

    /** A path given as text. */
    static FieldPath of(String path) {
        return new FieldPath(null, path, -1);
    }

    /** A field of this path. */
    FieldPath field(String field) {
        return new FieldPath(this, field, -1);
    }

    /** An element of this (array) path. */
    FieldPath at(int i) {
        return new FieldPath(this, null, i);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        append(sb);
        return sb.toString();
    }

    private void append(StringBuilder sb) {
        if (parent != null) {
            parent.append(sb);
        }
        if (name == null) {
            sb.append('[').append(index).append(']');
        } else {
            if (!sb.isEmpty() && !name.isEmpty()) {
                sb.append('.');
            }
            sb.append(name);
        }
    }
}
