package org.kinlink.policy.rules;

import java.util.List;

/**
 * REVIEW_ALL (an addition to the original rule table, which had a {@code review_all} field but no
 * rule for it; docs/domain.md lists it): every message of this contact is reviewed (REVIEW).
 */
public final class ReviewAllRule extends ContentRule {
    /** The stable id. */
    public static final String ID = "REVIEW_ALL";
    static final String USER_TEXT = "Messages to this person are checked before they are delivered.";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void evaluate(Evaluation facts, Findings out) {
        for (Evaluation.ContactFacts c : facts.contacts()) {
            if (screened(facts, c) && c.contact().policy().content().reviewAll()) {
                out.review(ID, "Every message of " + pair(c) + " is reviewed before delivery.", USER_TEXT,
                        PublicCodes.CONTENT_CHECK, List.of());
            }
        }
    }
}
