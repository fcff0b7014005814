package org.kinlink.policy.model;

import java.util.Objects;

/**
 * Who asks for the action.
 *
 * @param id "prisoner:...", "person:..." or "staff:..."
 * @param establishment the staff member's establishment (null for people outside and prisoners)
 */
public record Actor(String id, Role role, String establishment) {
    /** Checks required components. */
    public Actor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
    }

    /** A prisoner acting for themselves. */
    public static Actor prisoner(Prisoner prisoner) {
        return new Actor(prisoner.id(), Role.PRISONER, prisoner.establishment());
    }

    /** A person outside acting for themselves. */
    public static Actor person(String id) {
        return new Actor(id, Role.PERSON_OUTSIDE, null);
    }

    /** A staff member of an establishment. */
    public static Actor staff(String id, Role role, String establishment) {
        return new Actor(id, role, establishment);
    }
}
