package org.kinlink.policy.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.TimeWindow;

/**
 * OUTSIDE_WINDOW: the moment, or a call's booked end, falls outside every time window of a contact
 * (DENY). Windows are Europe/London wall-clock times and are resolved to instants per date, so they
 * follow daylight-saving changes; overlapping or touching windows on a day merge. A call gets an
 * END_BY at the end of the window it is in. No windows means no time restriction. Applies to
 * messages too (the safer reading: a contact limited to school hours is limited for messages as well).
 */
public final class OutsideWindowRule implements Rule {
    /** The stable id. */
    public static final String ID = "OUTSIDE_WINDOW";
    static final String USER_TEXT = "Contact with this person is only possible at set times, and this is outside them.";

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
        Instant from = facts.from();
        Instant end = facts.end();
        if (facts.action().isCall() && end != null && !end.isAfter(from)) {
            out.deny(ID, "The booked call ended at " + London.iso(end) + ".", USER_TEXT, PublicCodes.OUTSIDE_WINDOW);
            return;
        }
        for (Evaluation.ContactFacts c : facts.contacts()) {
            List<TimeWindow> windows = c.contact().policy().windows();
            if (windows.isEmpty()) {
                continue;
            }
            String pair = c.contact().prisonerId() + " - " + c.contact().partyId();
            Instant closes = closingOfWindowContaining(windows, from);
            if (closes == null) {
                out.deny(ID, London.iso(from) + " (" + London.day(from) + " " + London.clock(from)
                        + " London) is outside every window of " + pair + ".", USER_TEXT, PublicCodes.OUTSIDE_WINDOW);
            } else if (end != null && end.isAfter(closes)) {
                out.deny(ID, "The call would end at " + London.clock(end) + " but the window of " + pair
                        + " closes at " + London.clock(closes) + ".", USER_TEXT, PublicCodes.OUTSIDE_WINDOW);
            } else if (facts.action().isCall()) {
                out.permit(ID, "The window of " + pair + " closes at " + London.iso(closes) + ".",
                        EndByTexts.user(closes), PublicCodes.CALL_ENDS, Obligation.endBy(closes));
            }
        }
    }

    /** When the (merged) window containing {@code at} closes, or null when no window contains it. */
    static Instant closingOfWindowContaining(List<TimeWindow> windows, Instant at) {
        LocalDate date = London.date(at);
        List<Instant[]> spans = new ArrayList<>(windows.size());
        for (TimeWindow w : windows) {
            if (w.days().contains(date.getDayOfWeek())) {
                Instant open = London.opening(date, w.from());
                Instant close = London.closing(date, w.to());
                if (open.isBefore(close)) {
                    spans.add(new Instant[] {open, close});
                }
            }
        }
        spans.sort(Comparator.comparing(s -> s[0]));
        Instant open = null;
        Instant close = null;
        for (Instant[] span : spans) {
            if (close != null && !span[0].isAfter(close)) {
                if (span[1].isAfter(close)) {
                    close = span[1]; // touching or overlapping: one longer window
                }
                continue;
            }
            if (open != null && !at.isBefore(open) && at.isBefore(close)) {
                return close;
            }
            open = span[0];
            close = span[1];
        }
        return open != null && !at.isBefore(open) && at.isBefore(close) ? close : null;
    }
}
