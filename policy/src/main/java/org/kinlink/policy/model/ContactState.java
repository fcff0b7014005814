package org.kinlink.policy.model;

/** Lifecycle state of a contact; only APPROVED allows contact. */
public enum ContactState {
    PENDING, APPROVED, SUSPENDED, REVOKED
}
