package org.kinlink.policy.rules;

/**
 * NEVER_TOGETHER: a contact's {@code never_with} names someone who is in the call (DENY). Whoever
 * joins counts as in the call even if the caller forgot to list them.
 */
public final class NeverTogetherRule implements Rule {
    /** The stable id. */
    public static final String ID = "NEVER_TOGETHER";
    static final String USER_TEXT = "This call can't go ahead with everyone who is in it.";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(Evaluation facts) {
        return facts.action().isContact();
    }

    @Override
    public void evaluate(Evaluation facts, Findings out) {
        if (!facts.action().isContact()) {
            return;
        }
        for (Evaluation.ContactFacts c : facts.contacts()) {
            for (String never : c.contact().policy().neverWith()) {
                if (facts.parties().contains(never)) {
                    out.deny(ID, c.contact().partyId() + " must never be in a call with " + never
                            + " (contact of " + c.contact().prisonerId() + ").", USER_TEXT,
                            PublicCodes.PARTICIPANTS_NOT_ALLOWED);
                }
            }
        }
    }
}
