package org.kinlink.policy.model;

import java.util.Objects;

/**
 * A rule that failed while deciding (it threw). The decision is then DENY and carries this, so the
 * failure is reported where the decision is audited instead of aborting the request.
 *
 * @param rule the id of the rule that failed
 * @param message what went wrong (for staff and operators; never shown to prisoners or people outside)
 */
public record RuleError(String rule, String message) {
    /** Checks required components. */
    public RuleError {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }
}
