package org.kinlink.policy.rules;

import java.util.List;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.Reason;
import org.kinlink.policy.screening.ContentMatch;
import org.kinlink.policy.screening.MatchKind;

/** BLOCKED_TERM: the message holds one of this contact's blocked terms (DENY). */
public final class BlockedTermRule extends ContentRule {
    /** The stable id. */
    public static final String ID = "BLOCKED_TERM";
    static final String USER_TEXT = "Your message contains words that aren't allowed, so it wasn't sent.";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void evaluate(Evaluation facts, Findings out) {
        for (Evaluation.ContactFacts c : facts.contacts()) {
            List<ContentMatch> matches = termMatches(facts, c, MatchKind.BLOCKED_TERM);
            if (!matches.isEmpty()) {
                out.add(new Reason(ID, Effect.DENY,
                        "The message holds blocked term(s) of " + pair(c) + ": " + SensitiveTermRule.describe(matches)
                                + ".", USER_TEXT, PublicCodes.CONTENT_NOT_ALLOWED, matches), List.of());
            }
        }
    }
}
