package org.kinlink.policy.rules;

import java.util.List;
import java.util.stream.Collectors;
import org.kinlink.policy.screening.ContentMatch;
import org.kinlink.policy.screening.MatchKind;

/**
 * SENSITIVE_TERM: the message names one of this contact's sensitive terms (e.g. a child's school),
 * however spaced, accented or disguised (REVIEW). The staff text names the term and where it is;
 * the user text never does.
 */
public final class SensitiveTermRule extends ContentRule {
    /** The stable id. */
    public static final String ID = "SENSITIVE_TERM";
    static final String USER_TEXT = "Your message will be checked before it is delivered.";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void evaluate(Evaluation facts, Findings out) {
        for (Evaluation.ContactFacts c : facts.contacts()) {
            List<ContentMatch> matches = termMatches(facts, c, MatchKind.SENSITIVE_TERM);
            if (!matches.isEmpty()) {
                out.review(ID, "The message names sensitive term(s) of " + pair(c) + ": " + describe(matches) + ".",
                        USER_TEXT, PublicCodes.CONTENT_CHECK, matches);
            }
        }
    }

    static String describe(List<ContentMatch> matches) {
        return matches.stream().map(m -> "\"" + m.term() + "\" at " + m.start() + "-" + m.end())
                .collect(Collectors.joining(", "));
    }
}
