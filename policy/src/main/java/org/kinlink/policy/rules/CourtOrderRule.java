package org.kinlink.policy.rules;

import java.time.Instant;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.CourtOrder;
import org.kinlink.policy.model.Obligation;

/**
 * COURT_ORDER: an order in force forbids this contact or channel (DENY). An order is in force from
 * the start of its {@code from} date (if any) to the end of its {@code until} date, Europe/London;
 * an order with no end date is treated as in force indefinitely. An order that comes into force
 * during a call ends the call when it starts (END_BY) — the "court-order end" of contact.
 */
public final class CourtOrderRule implements Rule {
    /** The stable id. */
    public static final String ID = "COURT_ORDER";
    static final String USER_TEXT = "You can't contact this person this way at the moment.";

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
            for (CourtOrder order : c.contact().policy().courtOrders()) {
                Channel forbidden = firstForbidden(order, facts);
                if (forbidden == null) {
                    continue;
                }
                Instant starts = order.from() == null ? null : London.startOfDay(order.from());
                Instant ends = order.until() == null ? null : London.startOfDay(order.until().plusDays(1));
                Instant at = facts.from();
                boolean started = starts == null || !starts.isAfter(at);
                boolean ended = ends != null && !ends.isAfter(at);
                if (started && !ended) {
                    out.deny(ID, "Court order " + order.ref() + " (" + order.kind() + ", " + order.effect()
                            + ") is in force until " + order.until() + " and forbids " + forbidden + " between "
                            + c.contact().prisonerId() + " and " + c.contact().partyId() + ".",
                            USER_TEXT, PublicCodes.CONTACT_UNAVAILABLE);
                } else if (!started && facts.action().isCall() && (facts.end() == null || starts.isBefore(facts.end()))) {
                    out.permit(ID, "Court order " + order.ref() + " (" + order.kind() + ", " + order.effect()
                            + ") comes into force on " + order.from() + "; the call must end before then.",
                            EndByTexts.user(starts), PublicCodes.CALL_ENDS, Obligation.endBy(starts));
                }
            }
        }
    }

    private static Channel firstForbidden(CourtOrder order, Evaluation facts) {
        for (Channel channel : facts.channels()) {
            if (order.effect().forbids(channel)) {
                return channel;
            }
        }
        return null;
    }
}
