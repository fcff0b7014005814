package org.kinlink.policy.model;

import java.util.Objects;

/**
 * A person in custody taking part in the request.
 *
 * @param id "prisoner:" + prison number, e.g. "prisoner:A1234BC"
 * @param establishment the prison, e.g. "STY" for HMP Styal
 * @param clearance child-contact clearance
 */
public record Prisoner(String id, String establishment, Clearance clearance) {
    /** Checks required components. */
    public Prisoner {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(establishment, "establishment");
        Objects.requireNonNull(clearance, "clearance");
    }
}
