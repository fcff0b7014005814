package org.kinlink.policy.model;

import java.util.Objects;
import java.util.Set;

/** Who must be present when a contact is supervised: any one person of any of these roles. */
public record Supervisor(Set<SupervisorRole> anyOf) {
    /** Copies the roles defensively. */
    public Supervisor {
        anyOf = Sets.copyOf(SupervisorRole.class, Objects.requireNonNull(anyOf, "anyOf"));
    }

    /** Convenience factory. */
    public static Supervisor anyOf(SupervisorRole... roles) {
        return new Supervisor(Set.of(roles));
    }
}
