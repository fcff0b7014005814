package org.kinlink.policy;

import java.util.ArrayList;
import java.util.List;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.Reason;
import org.kinlink.policy.model.RuleError;
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

    /**
     * Decides one request. Never throws for a request it was given: a rule that fails is reported in
     * {@link Decision#errors()} and the decision is DENY (as Cedar reports evaluation errors rather than
     * throwing them), so a bug in one rule fails closed instead of aborting the caller.
     */
    public Decision decide(DecisionRequest request) {
        Findings findings = new Findings();
        List<RuleError> errors = new ArrayList<>();
        Evaluation facts;
        try {
            facts = new Evaluation(request, scanner);
            if (denyInvalidPolicies(facts, findings)) {
                return combiner.combine(findings.reasons(), List.of(), request.enforceable(), List.of(), List.of());
            }
        } catch (RuntimeException e) {
            failed(Rules.ENGINE_ERROR, e, findings, errors);
            return combiner.combine(findings.reasons(), List.of(), request.enforceable(), List.of(), errors);
        }
        List<String> applied = new ArrayList<>(rules.size());
        for (Rule rule : rules) {
            Findings.Mark mark = findings.mark();
            try {
                if (rule.appliesTo(facts)) {
                    rule.evaluate(facts, findings);
                    applied.add(rule.id());
                }
            } catch (RuntimeException e) {
                findings.rollback(mark);
                failed(rule.id(), e, findings, errors);
            }
        }
        return combiner.combine(findings.reasons(), findings.obligations(), request.enforceable(), applied, errors);
    }

    private static void failed(String rule, RuntimeException e, Findings findings, List<RuleError> errors) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        errors.add(new RuleError(rule, message));
        findings.deny(rule, "The rule " + rule + " could not be evaluated (" + message + "); denied to fail closed.",
                "This can't go ahead right now. Please try again later.", PublicCodes.SERVICE_UNAVAILABLE);
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
