package org.kinlink.policy.rules;

/**
 * One safeguarding rule of docs/domain.md. A rule looks at the facts of one request and adds findings
 * (an effect, staff and user texts, obligations); it never decides alone — the combiner does.
 * Implementations are stateless and thread-safe.
 */
public interface Rule {
    /** The stable rule id that tests and the audit log name. */
    String id();

    /**
     * Whether this rule has anything to say about the request's kind of action; a PERMIT names the
     * rules that applied ({@code Decision.determinedBy}), so this must be true whenever the rule checks.
     */
    default boolean appliesTo(Evaluation facts) {
        return true;
    }

    /** Adds this rule's findings for the request to {@code out}. */
    void evaluate(Evaluation facts, Findings out);
}
