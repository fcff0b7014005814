package org.kinlink.policy.rules;

import java.util.List;

/** PHOTO_REVIEW: a photo on a contact whose policy reviews photos (REVIEW). */
public final class PhotoReviewRule extends ContentRule {
    /** The stable id. */
    public static final String ID = "PHOTO_REVIEW";
    static final String USER_TEXT = "Photos are checked before they are delivered.";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(Evaluation facts) {
        return facts.hasPhoto();
    }

    @Override
    public void evaluate(Evaluation facts, Findings out) {
        if (!facts.hasPhoto()) {
            return;
        }
        for (Evaluation.ContactFacts c : facts.contacts()) {
            if (screened(facts, c) && c.contact().policy().content().reviewPhotos()) {
                out.review(ID, "Photos of " + pair(c) + " are reviewed before delivery.", USER_TEXT,
                        PublicCodes.PHOTO_CHECK, List.of());
            }
        }
    }
}
