package org.kinlink.policy.rules;

import java.time.Duration;
import java.time.Instant;
import org.kinlink.policy.model.Limits;
import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.Usage;

/**
 * LIMIT_REACHED: one more message today, one more call this week / fortnight, or the booked call
 * length would exceed a limit (DENY). Usage excludes the request being decided. A call gets an
 * END_BY at its start plus call_minutes. Limits are those of the step-up stage in force.
 */
public final class LimitReachedRule implements Rule {
    /** The stable id. */
    public static final String ID = "LIMIT_REACHED";
    static final String MESSAGES_TEXT = "You have reached today's message limit for this person.";
    static final String CALLS_TEXT = "You have reached the number of calls allowed for now.";
    static final String LENGTH_TEXT = "This call is longer than allowed.";

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
        for (Evaluation.ContactFacts c : facts.contacts()) {
            Limits limits = c.effective().limits();
            Usage usage = c.contact().usage();
            String pair = c.contact().prisonerId() + " - " + c.contact().partyId();
            if (facts.action().isMessage()) {
                over(out, limits.messagesPerDay(), usage.messagesToday(), pair, "messages today", MESSAGES_TEXT);
                continue;
            }
            over(out, limits.callsPerWeek(), usage.callsThisWeek(), pair, "calls this week", CALLS_TEXT);
            over(out, limits.callsPerFortnight(), usage.callsLast14Days(), pair, "calls in 14 days", CALLS_TEXT);
            Integer minutes = limits.callMinutes();
            if (minutes == null) {
                continue;
            }
            Duration allowed = Duration.ofMinutes(minutes);
            Duration booked = facts.request().call() == null ? null : facts.request().call().duration();
            if (minutes == 0 || (booked != null && booked.compareTo(allowed) > 0)) {
                out.deny(ID, "Calls of " + pair + " may last " + minutes + " min; booked "
                        + (booked == null ? "open-ended" : booked.toMinutes() + " min") + ".", LENGTH_TEXT,
                        PublicCodes.LIMIT_REACHED);
            } else {
                Instant endBy = facts.callStart().plus(allowed);
                out.permit(ID, "Calls of " + pair + " may last " + minutes + " min (until " + London.iso(endBy) + ").",
                        EndByTexts.user(endBy), PublicCodes.CALL_ENDS, Obligation.endBy(endBy));
            }
        }
    }

    private static void over(Findings out, Integer limit, int used, String pair, String what, String userText) {
        if (limit != null && used + 1 > limit) {
            out.deny(ID, pair + " has " + used + " " + what + "; the limit is " + limit + ".", userText,
                    PublicCodes.LIMIT_REACHED);
        }
    }
}
