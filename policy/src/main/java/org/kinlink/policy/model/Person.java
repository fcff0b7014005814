package org.kinlink.policy.model;

import java.util.Objects;

/**
 * A person outside taking part in a call or message.
 *
 * @param id e.g. "person:p-jade-01", the same form as a policy's {@code never_with} entries
 * @param child true when the person is a child (a CHILD relationship marks a child too)
 */
public record Person(String id, boolean child) {
    /** Checks required components. */
    public Person {
        Objects.requireNonNull(id, "id");
    }

    /** An adult. */
    public static Person adult(String id) {
        return new Person(id, false);
    }

    /** A child. */
    public static Person child(String id) {
        return new Person(id, true);
    }
}
