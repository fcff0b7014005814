package org.kinlink.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.ObligationType;
import org.kinlink.policy.model.Reason;
import org.kinlink.policy.model.RuleError;
import org.kinlink.policy.rules.PrivilegedRule;
import org.kinlink.policy.rules.PublicCodes;
import org.kinlink.policy.rules.Rules;

/**
 * Turns the findings of all rules into one decision. DENY beats REVIEW beats PERMIT; obligations
 * accumulate and the strictest wins (earliest END_BY; each distinct SUPERVISOR_PRESENT requirement
 * kept, minus those implied by a narrower one); recording and privilege cannot both hold (DENY);
 * an obligation the caller cannot enforce turns the decision into DENY (fail closed). A DENY
 * carries no obligations. The output is canonical: independent of the order rules ran in.
 */
final class DecisionCombiner {
    /** Denials first, then the domain table's order, then text: a canonical order whatever order rules ran in. */
    private static final Comparator<Reason> REASON_ORDER = (a, b) -> {
        int c = b.effect().compareTo(a.effect());
        if (c == 0) {
            c = Integer.compare(Rules.order(a.rule()), Rules.order(b.rule()));
        }
        if (c == 0) {
            c = a.rule().compareTo(b.rule());
        }
        if (c == 0) {
            c = a.staffText().compareTo(b.staffText());
        }
        if (c == 0) {
            c = a.userText().compareTo(b.userText());
        }
        if (c == 0) {
            c = a.publicCode().compareTo(b.publicCode());
        }
        // Only reached for otherwise identical findings: keeps the order total, so output never depends on rule order.
        return c != 0 || a.matches().equals(b.matches()) ? c : a.matches().toString().compareTo(b.matches().toString());
    };

    /** Combines findings without knowing which rules ran (no rule failed). */
    Decision combine(List<Reason> found, List<Obligation> required, Set<ObligationType> enforceable) {
        return combine(found, required, enforceable, List.of(), List.of());
    }

    /**
     * @param enforceable what the caller can enforce now; null (the caller did not say) is DENY
     * @param applied the rules that applied and ran to completion, in the order they ran
     * @param errors rules that failed (each already found a DENY)
     */
    Decision combine(List<Reason> found, List<Obligation> required, Set<ObligationType> enforceable,
                     List<String> applied, List<RuleError> errors) {
        List<Reason> reasons = new ArrayList<>(found);
        List<Obligation> obligations = strictest(required);
        if (has(obligations, ObligationType.NO_RECORDING)
                && (has(obligations, ObligationType.RECORD) || has(obligations, ObligationType.MONITOR))) {
            reasons.add(new Reason(PrivilegedRule.ID, Effect.DENY,
                    "A privileged contact is in a call that another contact requires to be recorded or monitored.",
                    "A confidential legal call can't include people whose calls are recorded.",
                    PublicCodes.PRIVILEGED, List.of()));
        }
        Effect effect = Effect.PERMIT;
        for (Reason r : reasons) {
            effect = effect.strictest(r.effect());
        }
        if (effect != Effect.DENY && enforceable == null) {
            reasons.add(new Reason(Rules.OBLIGATION_UNAVAILABLE, Effect.DENY,
                    "The caller did not say which obligations it can enforce now; denied to fail closed.",
                    "This can't go ahead right now because something it needs is unavailable. Please try again later.",
                    PublicCodes.SERVICE_UNAVAILABLE, List.of()));
            effect = Effect.DENY;
        }
        if (effect != Effect.DENY) {
            for (ObligationType type : types(obligations)) {
                if (!enforceable.contains(type)) {
                    reasons.add(new Reason(Rules.OBLIGATION_UNAVAILABLE, Effect.DENY,
                            type + " is required but the caller cannot enforce it now (fail closed).",
                            "This can't go ahead right now because something it needs is unavailable. Please try again later.",
                            PublicCodes.SERVICE_UNAVAILABLE, List.of()));
                    effect = Effect.DENY;
                }
            }
        }
        if (reasons.size() > 1) {
            reasons.sort(REASON_ORDER);
            // Equal findings (e.g. the same rule for the same pair twice) are reported once; sorted, they are adjacent.
            for (int i = reasons.size() - 1; i > 0; i--) {
                if (reasons.get(i).equals(reasons.get(i - 1))) {
                    reasons.remove(i);
                }
            }
        }
        return new Decision(effect, reasons, effect == Effect.DENY ? List.of() : obligations,
                determinedBy(effect, reasons, applied), errors);
    }

    /** The rules behind the effect, in display order: those that found it, or for PERMIT every rule that applied. */
    private static List<String> determinedBy(Effect effect, List<Reason> reasons, List<String> applied) {
        Set<String> ids = new java.util.TreeSet<>(Comparator.comparingInt(Rules::order).thenComparing(s -> s));
        if (effect == Effect.PERMIT) {
            ids.addAll(applied);
        }
        for (Reason r : reasons) {
            if (r.effect() == effect) {
                ids.add(r.rule());
            }
        }
        return List.copyOf(ids);
    }

    /** The strictest equivalent of a bag of obligations, in a canonical order. */
    static List<Obligation> strictest(List<Obligation> required) {
        Set<ObligationType> flags = EnumSet.noneOf(ObligationType.class);
        Instant endBy = null;
        List<Obligation> supervisors = new ArrayList<>();
        for (Obligation o : required) {
            switch (o.type()) {
                case END_BY -> endBy = endBy == null || o.at().isBefore(endBy) ? o.at() : endBy;
                case SUPERVISOR_PRESENT -> supervisors.add(o);
                default -> flags.add(o.type());
            }
        }
        List<Obligation> out = new ArrayList<>();
        for (ObligationType type : ObligationType.values()) {
            switch (type) {
                case END_BY -> {
                    if (endBy != null) {
                        out.add(Obligation.endBy(endBy));
                    }
                }
                case SUPERVISOR_PRESENT -> out.addAll(minimal(supervisors));
                case RECORD -> addIf(out, flags, type, Obligation.recordCall());
                case MONITOR -> addIf(out, flags, type, Obligation.monitor());
                case NO_RECORDING -> addIf(out, flags, type, Obligation.noRecording());
                case REVIEW_BEFORE_DELIVERY -> addIf(out, flags, type, Obligation.reviewBeforeDelivery());
            }
        }
        return out;
    }

    private static void addIf(List<Obligation> out, Set<ObligationType> flags, ObligationType type, Obligation o) {
        if (flags.contains(type)) {
            out.add(o);
        }
    }

    /** Supervisor requirements not implied by a narrower one, sorted by their role sets. */
    private static List<Obligation> minimal(List<Obligation> supervisors) {
        List<Obligation> kept = new ArrayList<>();
        for (int i = 0; i < supervisors.size(); i++) {
            Obligation candidate = supervisors.get(i);
            boolean implied = false;
            for (int j = 0; j < supervisors.size() && !implied; j++) {
                Obligation other = supervisors.get(j);
                // Drop a requirement met by any narrower one; of equal ones keep the first.
                implied = j != i && other.implies(candidate) && (!candidate.implies(other) || j < i);
            }
            if (!implied) {
                kept.add(candidate);
            }
        }
        kept.sort(Comparator.comparing((Obligation o) -> o.roles().size()).thenComparing(o -> o.roles().toString()));
        return kept;
    }

    private static boolean has(List<Obligation> obligations, ObligationType type) {
        for (Obligation o : obligations) {
            if (o.type() == type) {
                return true;
            }
        }
        return false;
    }

    private static Set<ObligationType> types(List<Obligation> obligations) {
        Set<ObligationType> types = EnumSet.noneOf(ObligationType.class);
        for (Obligation o : obligations) {
            types.add(o.type());
        }
        return types;
    }
}
