package org.kinlink.policy.rules;

import java.util.ArrayList;
import java.util.List;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.Reason;
import org.kinlink.policy.screening.ContentMatch;

/** The findings of all rules for one request, in the order they were added; not thread-safe (one per request). */
public final class Findings {
    private final List<Reason> reasons = new ArrayList<>();
    private final List<Obligation> obligations = new ArrayList<>();

    /** Adds a finding. */
    public void add(Reason reason, List<Obligation> required) {
        reasons.add(reason);
        obligations.addAll(required);
    }

    /** Adds a DENY. */
    public void deny(String rule, String staffText, String userText, String publicCode) {
        reasons.add(new Reason(rule, Effect.DENY, staffText, userText, publicCode, List.of()));
    }

    /** Adds a REVIEW of a message or photo (a person must look before delivery). */
    public void review(String rule, String staffText, String userText, String publicCode, List<ContentMatch> matches) {
        reasons.add(new Reason(rule, Effect.REVIEW, staffText, userText, publicCode, matches));
        obligations.add(Obligation.reviewBeforeDelivery());
    }

    /** Adds a PERMIT that carries obligations. */
    public void permit(String rule, String staffText, String userText, String publicCode, Obligation... required) {
        reasons.add(new Reason(rule, Effect.PERMIT, staffText, userText, publicCode, List.of()));
        obligations.addAll(List.of(required));
    }

    /** A point to {@link #rollback} to. */
    public record Mark(int reasons, int obligations) {
    }

    /** The current point. */
    public Mark mark() {
        return new Mark(reasons.size(), obligations.size());
    }

    /** Forgets what was added after {@code mark}: a rule that failed half-way leaves no partial findings. */
    public void rollback(Mark mark) {
        reasons.subList(mark.reasons(), reasons.size()).clear();
        obligations.subList(mark.obligations(), obligations.size()).clear();
    }

    /** Everything found so far. */
    public List<Reason> reasons() {
        return reasons;
    }

    /** Every obligation found so far, before combining. */
    public List<Obligation> obligations() {
        return obligations;
    }
}
