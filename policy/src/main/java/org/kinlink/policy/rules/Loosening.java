package org.kinlink.policy.rules;

import java.time.DayOfWeek;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContactState;
import org.kinlink.policy.model.ContentRules;
import org.kinlink.policy.model.Limits;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.PolicyChange;
import org.kinlink.policy.model.SupervisorRole;
import org.kinlink.policy.model.TimeWindow;

/**
 * Which parts of a change would allow more contact than before, in words for staff. An empty
 * answer means the change is no looser anywhere (stricter or the same), which every staff role of
 * the establishment may make. Where a part cannot be compared safely (a step-up plan or a court
 * order edited, the relationship changed) it counts as loosening: deny when unsure.
 */
public final class Loosening {
    private Loosening() {
    }

    /** What the change loosens; empty when it only tightens or keeps things as they are. */
    public static List<String> of(PolicyChange change) {
        List<String> out = new ArrayList<>();
        if (change.isClearance()) {
            // Clearance is declared from most to least restrictive
            if (change.clearanceAfter().ordinal() > change.clearanceBefore().ordinal()) {
                out.add("child-contact clearance raised from " + change.clearanceBefore() + " to " + change.clearanceAfter());
            }
            return out;
        }
        ContactPolicy before = change.before();
        ContactPolicy after = change.after();
        state(before, after, out);
        if (before.relationship() != after.relationship()) {
            out.add("relationship changed from " + before.relationship() + " to " + after.relationship());
        }
        Set<Channel> added = minus(after.channels(), before.channels());
        if (!added.isEmpty()) {
            out.add("channels added: " + added);
        }
        oversight(before, after, out);
        windows(before.windows(), after.windows(), out);
        limits(before.limits(), after.limits(), out);
        if (!before.stepUp().equals(after.stepUp())) {
            out.add("step-up plan changed");
        }
        List<String> droppedNever = new ArrayList<>(before.neverWith());
        droppedNever.removeAll(after.neverWith());
        if (!droppedNever.isEmpty()) {
            out.add("no longer kept apart from " + droppedNever);
        }
        if (!after.courtOrders().containsAll(before.courtOrders())) {
            out.add("a court order removed or edited");
        }
        content(before.content(), after.content(), out);
        return out;
    }

    private static void state(ContactPolicy before, ContactPolicy after, List<String> out) {
        Instant allowedBefore = contactFrom(before);
        Instant allowedAfter = contactFrom(after);
        if (after.state() == ContactState.APPROVED && before.state() != ContactState.APPROVED) {
            out.add(before.state() == ContactState.SUSPENDED ? "reinstated" : "approved");
        } else if (earlier(allowedAfter, allowedBefore)) {
            out.add("contact would resume sooner (" + after.state()
                    + (after.suspendedUntil() == null ? "" : " until " + after.suspendedUntil()) + ")");
        }
    }

    /** When contact becomes possible without anyone acting: now, at a suspension's end, or never (null). */
    private static Instant contactFrom(ContactPolicy p) {
        return switch (p.state()) {
            case APPROVED -> Instant.MIN;
            case SUSPENDED -> p.suspendedUntil();
            case PENDING, REVOKED -> null;
        };
    }

    private static boolean earlier(Instant a, Instant b) {
        if (a == null) {
            return false;
        }
        return b == null || a.isBefore(b);
    }

    private static void oversight(ContactPolicy before, ContactPolicy after, List<String> out) {
        Oversight b = before.oversight();
        Oversight a = after.oversight();
        if (a != b && (a == Oversight.PRIVILEGED || (b != Oversight.PRIVILEGED && a.strictness() < b.strictness()))) {
            out.add("oversight lowered from " + b + " to " + a);
            return;
        }
        if (a == Oversight.SUPERVISED && b == Oversight.SUPERVISED) {
            Set<SupervisorRole> was = before.supervisor() == null ? Set.of() : before.supervisor().anyOf();
            Set<SupervisorRole> now = after.supervisor() == null ? Set.of() : after.supervisor().anyOf();
            Set<SupervisorRole> more = minus(now, was);
            if (!more.isEmpty()) {
                out.add("more people may supervise: " + more);
            }
        }
    }

    private static void windows(List<TimeWindow> before, List<TimeWindow> after, List<String> out) {
        if (before.isEmpty()) {
            return; // no windows: any time already
        }
        if (after.isEmpty()) {
            out.add("time windows removed (any time)");
            return;
        }
        Map<DayOfWeek, BitSet> was = minutes(before);
        Map<DayOfWeek, BitSet> now = minutes(after);
        List<DayOfWeek> wider = new ArrayList<>();
        for (Map.Entry<DayOfWeek, BitSet> e : now.entrySet()) {
            BitSet extra = (BitSet) e.getValue().clone();
            extra.andNot(was.getOrDefault(e.getKey(), new BitSet()));
            if (!extra.isEmpty()) {
                wider.add(e.getKey());
            }
        }
        if (!wider.isEmpty()) {
            out.add("time windows widened on " + wider);
        }
    }

    private static Map<DayOfWeek, BitSet> minutes(List<TimeWindow> windows) {
        Map<DayOfWeek, BitSet> out = new EnumMap<>(DayOfWeek.class);
        for (TimeWindow w : windows) {
            int from = w.from().toSecondOfDay() / 60;
            int to = w.to().toSecondOfDay() / 60;
            for (DayOfWeek d : w.days()) {
                out.computeIfAbsent(d, k -> new BitSet(1440)).set(from, Math.max(from, to));
            }
        }
        return out;
    }

    private static void limits(Limits before, Limits after, List<String> out) {
        limit("calls per week", before, after, Limits::callsPerWeek, out);
        limit("calls per fortnight", before, after, Limits::callsPerFortnight, out);
        limit("call minutes", before, after, Limits::callMinutes, out);
        limit("messages per day", before, after, Limits::messagesPerDay, out);
    }

    private static void limit(String name, Limits before, Limits after, Function<Limits, Integer> of, List<String> out) {
        Integer b = of.apply(before);
        Integer a = of.apply(after);
        if (b != null && (a == null || a > b)) {
            out.add(name + " raised from " + b + " to " + (a == null ? "no limit" : a));
        }
    }

    private static void content(ContentRules before, ContentRules after, List<String> out) {
        if (before.reviewAll() && !after.reviewAll()) {
            out.add("messages no longer all reviewed");
        }
        if (before.reviewPhotos() && !after.reviewPhotos()) {
            out.add("photos no longer reviewed");
        }
        if (!after.sensitiveTerms().containsAll(before.sensitiveTerms())) {
            out.add("a sensitive term removed");
        }
        if (!after.blockedTerms().containsAll(before.blockedTerms())) {
            out.add("a blocked term removed");
        }
    }

    private static <T> Set<T> minus(Set<T> a, Set<T> b) {
        Set<T> out = new java.util.LinkedHashSet<>(a);
        out.removeAll(Objects.requireNonNull(b));
        return out;
    }
}
