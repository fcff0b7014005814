package org.kinlink.policy;

import java.util.List;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.Reason;
import org.kinlink.policy.rules.Evaluation;
import org.kinlink.policy.rules.Findings;
import org.kinlink.policy.rules.PublicCodes;
import org.kinlink.policy.rules.Rule;
import org.kinlink.policy.rules.Rules;
import org.kinlink.policy.screening.LocationScanner;

/**
 * The safeguarding decision engine: facts in, a {@link Decision} out. A pure function of the
 * request (no clock, no I/O); immutable and thread-safe — construct once and share.
 */
public final class PolicyEngine {
    private final List<Rule> rules;
    private final LocationScanner scanner = new LocationScanner();
    private final DecisionCombiner combiner = new DecisionCombiner();

    /** An engine with the standard rules of docs/domain.md. */
    public PolicyEngine() {
        this(Rules.standard());
    }

    /** An engine running these rules (tests use it to show rule order does not matter). */
    PolicyEngine(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Decides one request. */
    public Decision decide(DecisionRequest request) {
        Evaluation facts = new Evaluation(request, scanner);
        Findings findings = new Findings();
        if (denyInvalidPolicies(facts, findings)) {
            return combiner.combine(findings.reasons(), List.of(), request.enforceable());
        }
        for (Rule rule : rules) {
            rule.evaluate(facts, findings);
        }
        return combiner.combine(findings.reasons(), findings.obligations(), request.enforceable());
    }

    /** Fails closed on a policy built in code that would not pass validation. */
    private static boolean denyInvalidPolicies(Evaluation facts, Findings findings) {
        boolean invalid = false;
        for (Evaluation.ContactFacts c : facts.contacts()) {
            List<Problem> problems = PolicyDocuments.validate(c.contact().policy());
            if (!problems.isEmpty()) {
                invalid = true;
                findings.add(new Reason(Rules.INVALID_POLICY, Effect.DENY, "The policy of " + c.contact().prisonerId()
                        + " - " + c.contact().partyId() + " is invalid: " + problems + ".",
                        "You can't contact this person at the moment.", PublicCodes.CONTACT_UNAVAILABLE, List.of()),
                        List.of());
            }
        }
        return invalid;
    }
}
