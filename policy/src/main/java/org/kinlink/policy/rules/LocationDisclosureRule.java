package org.kinlink.policy.rules;

import java.util.List;
import java.util.stream.Collectors;
import org.kinlink.policy.screening.ContentMatch;

/**
 * LOCATION_DISCLOSURE: the message holds a postcode (also an outward code standing as a place),
 * street address, phone number, email address, social-media handle or link, however spelled out (REVIEW). The text is screened once per request, whatever the number of contacts.
 */
public final class LocationDisclosureRule extends ContentRule {
    /** The stable id. */
    public static final String ID = "LOCATION_DISCLOSURE";
    static final String USER_TEXT =
            "Messages with an address, postcode, phone number, email address or link are checked before delivery.";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void evaluate(Evaluation facts, Findings out) {
        boolean any = false;
        for (Evaluation.ContactFacts c : facts.contacts()) {
            any |= screened(facts, c);
        }
        if (!any) {
            return;
        }
        List<ContentMatch> matches = facts.locations();
        if (!matches.isEmpty()) {
            out.review(ID, "The message may disclose a location or contact details: " + matches.stream()
                            .map(m -> m.kind() + " at " + m.start() + "-" + m.end()).collect(Collectors.joining(", ")) + ".",
                    USER_TEXT, PublicCodes.CONTENT_CHECK, matches);
        }
    }
}
