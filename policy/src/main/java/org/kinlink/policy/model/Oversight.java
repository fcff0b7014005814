package org.kinlink.policy.model;

/**
 * How a contact is overseen. RECORDED &lt; MONITORED &lt; SUPERVISED is the strictness scale (each adds
 * obligations to the one before); PRIVILEGED is a different kind (legal) and sits outside the scale.
 */
public enum Oversight {
    PRIVILEGED, RECORDED, MONITORED, SUPERVISED;

    /** Position on the strictness scale, or -1 for PRIVILEGED which is not on it. */
    public int strictness() {
        return this == PRIVILEGED ? -1 : ordinal();
    }
}
