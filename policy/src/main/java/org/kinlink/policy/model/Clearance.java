package org.kinlink.policy.model;

/**
 * A prisoner's child-contact clearance (public protection), set by staff after assessment.
 * Declaration order is from most to least restrictive.
 */
public enum Clearance {
    /** No contact with any child. */
    NONE,
    /** Text messages only, each reviewed before delivery. */
    WRITTEN,
    /** Video only with a supervisor present; messages and photos reviewed. */
    SUPERVISED,
    /** No clearance restriction. */
    FULL
}
