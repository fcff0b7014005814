package org.kinlink.policy.rules;

import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.Oversight;

/**
 * PRIVILEGED: legal (and court) contact is never recorded or monitored. A call or message on a
 * PRIVILEGED contact carries NO_RECORDING; monitoring such a call or viewing its recording is DENY
 * (and the caller audits the attempt). A privileged call cannot also hold a contact that must be
 * recorded: the combiner denies that conflict under this rule's id.
 */
public final class PrivilegedRule implements Rule {
    /** The stable id. */
    public static final String ID = "PRIVILEGED";
    static final String CALL_TEXT = "This is a confidential legal call: it is not recorded or monitored.";
    static final String MESSAGE_TEXT = "This is confidential legal correspondence.";
    static final String STAFF_DENY_TEXT = "You can't do this.";
    static final String CONFLICT_TEXT = "A confidential legal call can't include people whose calls are recorded.";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void evaluate(Evaluation facts, Findings out) {
        Action action = facts.action();
        if ((action == Action.MONITOR_CALL || action == Action.VIEW_RECORDING) && !facts.missing().isEmpty()) {
            // Without every contact of the call we cannot show it is not privileged: fail closed.
            out.deny(ID, "The request does not carry every contact of the call (" + facts.missing().size()
                    + " missing), so it cannot be shown not to be privileged.", STAFF_DENY_TEXT, PublicCodes.NOT_PERMITTED);
        }
        for (Evaluation.ContactFacts c : facts.contacts()) {
            if (c.contact().policy().oversight() != Oversight.PRIVILEGED) {
                continue;
            }
            String pair = c.contact().prisonerId() + " - " + c.contact().partyId();
            if (action == Action.MONITOR_CALL || action == Action.VIEW_RECORDING) {
                out.deny(ID, pair + " is privileged: " + action + " is never allowed; this attempt must be audited.",
                        STAFF_DENY_TEXT, PublicCodes.NOT_PERMITTED);
            } else if (action.isContact()) {
                out.permit(ID, pair + " is privileged (" + c.contact().policy().relationship()
                        + "): not recorded, not monitored, not reviewed.",
                        action.isCall() ? CALL_TEXT : MESSAGE_TEXT, PublicCodes.PRIVILEGED, Obligation.noRecording());
            }
        }
    }
}
