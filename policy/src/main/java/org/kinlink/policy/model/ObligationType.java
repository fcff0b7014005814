package org.kinlink.policy.model;

/** Something the caller must enforce for a PERMIT (or REVIEW) to stand. */
public enum ObligationType {
    RECORD, MONITOR, SUPERVISOR_PRESENT, END_BY, NO_RECORDING, REVIEW_BEFORE_DELIVERY
}
