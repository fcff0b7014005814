package org.kinlink.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.ObligationType;
import org.kinlink.policy.model.Reason;
import org.kinlink.policy.model.RuleError;

/**
 * The engine's answer: an effect, the reasons for it and the obligations the caller must enforce.
 * Obligations are already combined (strictest wins); a DENY carries none.
 *
 * @param determinedBy the rule ids that determined the effect: for DENY the rules that denied, for
 *                     REVIEW those that asked for review, for PERMIT every rule that applied to the
 *                     action and found nothing against it (so an audit entry says what was checked)
 * @param errors rules that failed while deciding; any error makes the decision DENY
 */
public record Decision(Effect effect, List<Reason> reasons, List<Obligation> obligations, List<String> determinedBy,
                       List<RuleError> errors) {
    /** Copies the lists. */
    public Decision {
        Objects.requireNonNull(effect, "effect");
        reasons = List.copyOf(reasons);
        obligations = List.copyOf(obligations);
        determinedBy = List.copyOf(determinedBy);
        errors = List.copyOf(errors);
    }

    /** True when the effect is PERMIT. */
    public boolean permitted() {
        return effect == Effect.PERMIT;
    }

    /** True when some reason comes from this rule id. */
    public boolean hasReason(String rule) {
        return reasons.stream().anyMatch(r -> r.rule().equals(rule));
    }

    /** True when some obligation has this type. */
    public boolean requires(ObligationType type) {
        return obligations.stream().anyMatch(o -> o.type() == type);
    }

    /** The END_BY deadline, when there is one. */
    public Optional<Instant> endBy() {
        return obligations.stream().filter(o -> o.type() == ObligationType.END_BY).map(Obligation::at).findFirst();
    }

    /** The docs/api.md JSON shape: staff view has staff texts, rule ids and matches; otherwise user-safe texts only. */
    public String toJson(boolean staffView) {
        return DecisionJson.toJson(this, staffView);
    }
}
