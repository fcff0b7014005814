package org.kinlink.policy.model;

/**
 * What a CHANGE_POLICY request would change: a contact's policy (state included) or a prisoner's
 * child-contact clearance. The engine compares before and after to tell tightening from loosening,
 * because who may make the change depends on its direction (DOMAIN.md, "Who may tighten, who may loosen").
 *
 * @param before the contact's policy now (null for a clearance change or a new contact)
 * @param after the contact's policy as it would be
 * @param clearanceBefore the clearance now (null unless a clearance change)
 * @param clearanceAfter the clearance as it would be
 */
public record PolicyChange(ContactPolicy before, ContactPolicy after, Clearance clearanceBefore,
                           Clearance clearanceAfter) {

    /** A change of a contact's policy or state. */
    public static PolicyChange contact(ContactPolicy before, ContactPolicy after) {
        return new PolicyChange(java.util.Objects.requireNonNull(before, "before"),
                java.util.Objects.requireNonNull(after, "after"), null, null);
    }

    /** A change of a prisoner's child-contact clearance. */
    public static PolicyChange clearance(Clearance before, Clearance after) {
        return new PolicyChange(null, null, java.util.Objects.requireNonNull(before, "clearanceBefore"),
                java.util.Objects.requireNonNull(after, "clearanceAfter"));
    }

    /** True for a clearance change. */
    public boolean isClearance() {
        return clearanceAfter != null;
    }
}
