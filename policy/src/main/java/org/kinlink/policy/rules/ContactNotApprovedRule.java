package org.kinlink.policy.rules;

import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContactState;

/**
 * CONTACT_NOT_APPROVED: a contact in the request is not APPROVED, is suspended until a later moment,
 * or does not exist at all (every prisoner needs a contact with every other party).
 */
public final class ContactNotApprovedRule implements Rule {
    /** The stable id. */
    public static final String ID = "CONTACT_NOT_APPROVED";
    static final String USER_TEXT = "You can't contact this person at the moment.";

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
            return; // staff actions (monitor, recordings, policy changes) do not need an approved contact
        }
        for (Evaluation.MissingContact m : facts.missing()) {
            out.deny(ID, "No contact on record between " + m.prisonerId() + " and " + m.partyId() + ".",
                    USER_TEXT, PublicCodes.CONTACT_UNAVAILABLE);
        }
        for (Evaluation.ContactFacts c : facts.contacts()) {
            ContactPolicy policy = c.contact().policy();
            String pair = c.contact().prisonerId() + " - " + c.contact().partyId();
            if (policy.state() != ContactState.APPROVED) {
                out.deny(ID, "Contact " + pair + " is " + policy.state() + ".", USER_TEXT,
                        PublicCodes.CONTACT_UNAVAILABLE);
            }
            if (policy.suspendedUntil() != null && policy.suspendedUntil().isAfter(facts.request().at())) {
                out.deny(ID, "Contact " + pair + " is suspended until " + London.iso(policy.suspendedUntil()) + ".",
                        USER_TEXT, PublicCodes.CONTACT_UNAVAILABLE);
            }
        }
    }
}
