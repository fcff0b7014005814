package org.kinlink.policy.model;

import java.util.Objects;

/**
 * One prisoner's contact with one other party (a person outside, or another prisoner), its policy
 * and what it has used so far. This is how a policy knows who the person is.
 *
 * @param prisonerId the prisoner whose contact this is ("prisoner:A1234BC")
 * @param partyId the other party ("person:..." or "prisoner:...")
 */
public record Contact(String prisonerId, String partyId, ContactPolicy policy, Usage usage) {
    /** Checks required components; absent usage means nothing used yet. */
    public Contact {
        Objects.requireNonNull(prisonerId, "prisonerId");
        Objects.requireNonNull(partyId, "partyId");
        Objects.requireNonNull(policy, "policy");
        usage = usage == null ? Usage.NONE : usage;
    }
}
