package org.kinlink.policy.rules;

import org.kinlink.policy.model.Oversight;

/** Shared guard of the content rules: they screen messages and photos of non-privileged contacts only. */
abstract class ContentRule implements Rule {

    /**
     * True when this contact's content is screened. Privileged (legal) correspondence is never read
     * by staff, so it is not held for review either.
     */
    static boolean screened(Evaluation facts, Evaluation.ContactFacts c) {
        return facts.action().isMessage() && c.contact().policy().oversight() != Oversight.PRIVILEGED;
    }

    static String pair(Evaluation.ContactFacts c) {
        return c.contact().prisonerId() + " - " + c.contact().partyId();
    }
}
