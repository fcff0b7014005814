package org.kinlink.policy.rules;

import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.Oversight;

/**
 * OVERSIGHT: calls of RECORDED contacts are recorded; MONITORED and SUPERVISED ones are recorded
 * and open to live monitoring (PERMIT + RECORD / MONITOR). The scale RECORDED &lt; MONITORED &lt;
 * SUPERVISED only ever adds obligations, which keeps "more oversight" monotonic. Messages are always
 * stored by the gateway, so this rule adds nothing to them.
 */
public final class OversightRule implements Rule {
    /** The stable id. */
    public static final String ID = "OVERSIGHT";
    static final String RECORDED_TEXT = "This call is recorded.";
    static final String MONITORED_TEXT = "This call is recorded and staff may watch it live.";

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
            Oversight oversight = c.contact().policy().oversight();
            String pair = c.contact().prisonerId() + " - " + c.contact().partyId();
            if (oversight == Oversight.RECORDED) {
                out.permit(ID, pair + " is RECORDED.", RECORDED_TEXT, PublicCodes.OVERSIGHT, Obligation.recordCall());
            } else if (oversight == Oversight.MONITORED || oversight == Oversight.SUPERVISED) {
                out.permit(ID, pair + " is " + oversight + ": recorded and monitored.", MONITORED_TEXT,
                        PublicCodes.OVERSIGHT, Obligation.recordCall(), Obligation.monitor());
            }
        }
    }
}
