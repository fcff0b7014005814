package org.kinlink.policy;

import java.util.Objects;

/**
 * One thing wrong with a policy document.
 *
 * @param field the JSON path of the field, e.g. {@code windows[0].from} ("" for the document itself)
 * @param message what is wrong and what is accepted
 */
public record Problem(String field, String message) {
    /** Checks required components. */
    public Problem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field.isEmpty() ? message : field + ": " + message;
    }
}
