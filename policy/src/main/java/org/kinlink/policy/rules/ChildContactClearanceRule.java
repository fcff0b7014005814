package org.kinlink.policy.rules;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.Clearance;
import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.Prisoner;
import org.kinlink.policy.model.SupervisorRole;

/**
 * CHILD_CONTACT_CLEARANCE: a child takes part (the person, or anyone in a call) and the prisoner's
 * clearance forbids the channel. Checked for every prisoner in the request (both, inter-prison).
 * <ul>
 *   <li>NONE: no contact with a child at all (DENY).</li>
 *   <li>WRITTEN: text messages, reviewed (REVIEW); photos and video DENY.</li>
 *   <li>SUPERVISED: video with a supervisor present, recorded; messages and photos reviewed.</li>
 *   <li>FULL: no restriction from this rule.</li>
 * </ul>
 * Under SUPERVISED clearance the supervisor must be a professional (SOCIAL_WORKER, FAMILY_WORKER or
 * SCHOOL) whatever the contact's own supervisor list says: the clearance is a public-protection
 * decision about the prisoner, so editing a contact's supervisor list must never loosen it. When the
 * contact is SUPERVISED as well, both requirements stand (one professional may meet both).
 */
public final class ChildContactClearanceRule implements Rule {
    /** The stable id. */
    public static final String ID = "CHILD_CONTACT_CLEARANCE";
    static final String DENY_TEXT = "You can't contact this person this way at the moment.";
    static final String REVIEW_TEXT = "Your message will be checked before it is delivered.";
    static final String SUPERVISOR_TEXT = "An approved adult must be with the child for the whole call, and the call is recorded.";
    /** Who may supervise a call of a prisoner whose clearance is SUPERVISED. */
    public static final Set<SupervisorRole> PROFESSIONALS =
            EnumSet.of(SupervisorRole.SOCIAL_WORKER, SupervisorRole.FAMILY_WORKER, SupervisorRole.SCHOOL);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(Evaluation facts) {
        return facts.action().isContact();
    }

    @Override
    public void evaluate(Evaluation facts, Findings out) {
        if (!facts.action().isContact()) {
            return;
        }
        for (Prisoner prisoner : facts.request().prisoners()) {
            List<String> children = facts.childrenWith(prisoner).stream().sorted().toList(); // stable texts
            if (children.isEmpty() || prisoner.clearance() == Clearance.FULL) {
                continue;
            }
            String who = prisoner.id() + " has child-contact clearance " + prisoner.clearance() + "; "
                    + String.join(", ", children) + (children.size() == 1 ? " is a child" : " are children");
            Clearance clearance = prisoner.clearance();
            Set<Channel> channels = facts.channels();
            if (clearance == Clearance.NONE) {
                out.deny(ID, who + ": no contact with children.", DENY_TEXT, PublicCodes.CONTACT_UNAVAILABLE);
            } else if (channels.contains(Channel.VIDEO)) {
                if (clearance == Clearance.WRITTEN) {
                    out.deny(ID, who + ": written contact only, no video.", DENY_TEXT, PublicCodes.CONTACT_UNAVAILABLE);
                } else {
                    out.permit(ID, who + ": video only with a professional supervisor present (one of " + PROFESSIONALS
                            + "), recorded.", SUPERVISOR_TEXT, PublicCodes.SUPERVISOR_REQUIRED,
                            Obligation.supervisorPresent(PROFESSIONALS), Obligation.recordCall());
                }
            } else if (channels.contains(Channel.PHOTO) && clearance == Clearance.WRITTEN) {
                out.deny(ID, who + ": written messages only, no photos.", DENY_TEXT, PublicCodes.CONTACT_UNAVAILABLE);
            } else {
                out.review(ID, who + ": every message is reviewed before delivery.", REVIEW_TEXT,
                        PublicCodes.CONTENT_CHECK, List.of());
            }
        }
    }
}
