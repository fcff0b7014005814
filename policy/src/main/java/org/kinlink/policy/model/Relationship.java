package org.kinlink.policy.model;

/** Who the other party is to the prisoner. */
public enum Relationship {
    CHILD, CARER, PARENT, PARTNER, SCHOOL, SOCIAL_WORKER, LEGAL, OTHER
}
