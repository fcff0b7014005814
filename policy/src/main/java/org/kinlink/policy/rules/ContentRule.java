package org.kinlink.policy.rules;

import java.util.List;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.screening.ContentMatch;
import org.kinlink.policy.screening.MatchKind;

/** Shared guard of the content rules: they screen messages and photos of non-privileged contacts only. */
abstract class ContentRule implements Rule {

    @Override
    public boolean appliesTo(Evaluation facts) {
        return facts.action().isMessage();
    }

    /**
     * True when this contact's content is screened. Privileged (legal) correspondence is never read
     * by staff, so it is not held for review either.
     */
    static boolean screened(Evaluation facts, Evaluation.ContactFacts c) {
        return facts.action().isMessage() && c.contact().policy().oversight() != Oversight.PRIVILEGED;
    }

    /** This contact's term matches of one kind; none when its content is not screened. */
    static List<ContentMatch> termMatches(Evaluation facts, Evaluation.ContactFacts c, MatchKind kind) {
        if (!screened(facts, c)) {
            return List.of();
        }
        return facts.terms(c.contact().policy().content()).stream().filter(m -> m.kind() == kind).toList();
    }

    static String pair(Evaluation.ContactFacts c) {
        return c.contact().prisonerId() + " - " + c.contact().partyId();
    }
}
