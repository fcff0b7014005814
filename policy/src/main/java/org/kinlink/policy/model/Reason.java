package org.kinlink.policy.model;

import java.util.List;
import java.util.Objects;
import org.kinlink.policy.screening.ContentMatch;

/**
 * Why a decision came out as it did: one rule's finding.
 *
 * @param rule the stable rule id (staff and audit only: some ids, e.g. COURT_ORDER, are not user-safe)
 * @param effect what this rule alone would decide
 * @param staffText the full why, for staff
 * @param userText safe to show a prisoner, child or carer
 * @param publicCode a user-safe code to show instead of the rule id
 * @param matches where content screening matched (staff only; empty for other rules)
 */
public record Reason(String rule, Effect effect, String staffText, String userText, String publicCode,
                     List<ContentMatch> matches) {
    /** Checks required components. */
    public Reason {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(staffText, "staffText");
        Objects.requireNonNull(userText, "userText");
        Objects.requireNonNull(publicCode, "publicCode");
        matches = matches == null ? List.of() : List.copyOf(matches);
    }
}
