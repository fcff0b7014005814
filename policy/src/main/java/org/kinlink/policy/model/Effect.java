package org.kinlink.policy.model;

/** The outcome of a decision; declaration order is strictness order (DENY beats REVIEW beats PERMIT). */
public enum Effect {
    PERMIT, REVIEW, DENY;

    /** The stricter of two effects. */
    public Effect strictest(Effect other) {
        return other.compareTo(this) > 0 ? other : this;
    }
}
