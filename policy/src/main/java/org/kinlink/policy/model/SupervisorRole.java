package org.kinlink.policy.model;

/**
 * Who may supervise a call. PARENT is deliberately absent: the other parent may be the risk; a
 * parent who is the child's carer is a CARER.
 */
public enum SupervisorRole {
    CARER, SCHOOL, SOCIAL_WORKER, FAMILY_WORKER, OFFICER
}
