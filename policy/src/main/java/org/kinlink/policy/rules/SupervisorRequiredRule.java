package org.kinlink.policy.rules;

import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Supervisor;

/**
 * SUPERVISOR_REQUIRED: a contact in a call is SUPERVISED, so someone of one of its supervisor roles
 * must be present (PERMIT + SUPERVISOR_PRESENT). Several supervised contacts each keep their own
 * requirement: all must be met (one person may meet several), never the union of roles, which
 * would let a supervisor acceptable to one contact stand in for another's.
 */
public final class SupervisorRequiredRule implements Rule {
    /** The stable id. */
    public static final String ID = "SUPERVISOR_REQUIRED";
    static final String USER_TEXT = "An approved adult must be present for the whole call.";
    static final String MISSING_TEXT = "You can't contact this person this way at the moment.";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(Evaluation facts) {
        return facts.action().isCall();
    }

    @Override
    public void evaluate(Evaluation facts, Findings out) {
        if (!facts.action().isCall()) {
            return;
        }
        for (Evaluation.ContactFacts c : facts.contacts()) {
            if (c.contact().policy().oversight() != Oversight.SUPERVISED) {
                continue;
            }
            Supervisor supervisor = c.contact().policy().supervisor();
            String pair = c.contact().prisonerId() + " - " + c.contact().partyId();
            if (supervisor == null || supervisor.anyOf().isEmpty()) {
                // Validation rejects this; fail closed if an unvalidated policy gets here.
                out.deny(ID, pair + " is SUPERVISED but names no supervisor.", MISSING_TEXT,
                        PublicCodes.CONTACT_UNAVAILABLE);
            } else {
                out.permit(ID, pair + " is supervised: one of " + supervisor.anyOf() + " must be present.",
                        USER_TEXT, PublicCodes.SUPERVISOR_REQUIRED, Obligation.supervisorPresent(supervisor.anyOf()));
            }
        }
    }
}
