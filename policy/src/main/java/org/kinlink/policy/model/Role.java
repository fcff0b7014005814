package org.kinlink.policy.model;

/** The role of whoever asks for an action. */
public enum Role {
    PRISONER, PERSON_OUTSIDE, OFFICER, FAMILY_WORKER, SECURITY, ADMIN;

    /** True for prison staff roles. */
    public boolean isStaff() {
        return this != PRISONER && this != PERSON_OUTSIDE;
    }
}
