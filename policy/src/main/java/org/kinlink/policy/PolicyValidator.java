package org.kinlink.policy;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContentRules;
import org.kinlink.policy.model.CourtOrder;
import org.kinlink.policy.model.Limits;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Relationship;
import org.kinlink.policy.model.StepUpStage;
import org.kinlink.policy.model.Supervisor;
import org.kinlink.policy.model.TimeWindow;
import org.kinlink.policy.screening.Folding;

/**
 * The meaning checks of a policy document: contradictions a well-typed document can still hold.
 * Each check is a small method taking the field path, so the JSON reader can run it on each part
 * as soon as that part is read (with the document's own indices) and {@link #validate} can run it
 * on a policy built in code.
 */
final class PolicyValidator {
    static final int MAX_TERMS = 500;
    static final int MAX_TERM_LENGTH = 200;
    static final int MAX_LIMIT = 10_000;
    private static final Set<Relationship> PRIVILEGED_RELATIONSHIPS = EnumSet.of(Relationship.LEGAL, Relationship.OTHER);

    static final FieldPath WINDOWS = FieldPath.of("windows");
    static final FieldPath LIMITS = FieldPath.of("limits");
    static final FieldPath STEP_UP = FieldPath.of("step_up");
    static final FieldPath NEVER_WITH = FieldPath.of("never_with");
    static final FieldPath COURT_ORDERS = FieldPath.of("court_orders");
    static final FieldPath CONTENT = FieldPath.of("content");

    private PolicyValidator() {
    }

    /** Every problem of a policy. */
    static List<Problem> validate(ContactPolicy p, List<Problem> out) {
        oversight(p.relationship(), p.oversight(), p.supervisor(), out);
        for (int i = 0; i < p.windows().size(); i++) {
            window(WINDOWS.at(i), p.windows().get(i), out);
        }
        limits(LIMITS, p.limits(), out);
        for (int i = 0; i < p.stepUp().size(); i++) {
            stage(STEP_UP.at(i), p.stepUp().get(i), p.channels(), p.limits(), out);
            if (i > 0) {
                stageOrder(STEP_UP.at(i).field("from"), p.stepUp().get(i).from(), p.stepUp().get(i - 1).from(),
                        STEP_UP.at(i - 1).field("from"), out);
            }
        }
        for (int i = 0; i < p.neverWith().size(); i++) {
            neverWith(NEVER_WITH.at(i), p.neverWith().get(i), out);
        }
        for (int i = 0; i < p.courtOrders().size(); i++) {
            order(COURT_ORDERS.at(i), p.courtOrders().get(i), out);
        }
        content(CONTENT, p.content(), p.relationship(), p.oversight(), out);
        return out;
    }

    static void oversight(Relationship relationship, Oversight oversight, Supervisor supervisor, List<Problem> out) {
        if (oversight == Oversight.SUPERVISED && (supervisor == null || supervisor.anyOf().isEmpty())) {
            out.add(new Problem("supervisor", "required when oversight is SUPERVISED: give {\"any_of\": [...]} with "
                    + "one or more of CARER, SCHOOL, SOCIAL_WORKER, FAMILY_WORKER, OFFICER"));
        }
        if (relationship == Relationship.LEGAL && oversight != Oversight.PRIVILEGED) {
            out.add(new Problem("oversight", "a LEGAL contact is privileged: must be PRIVILEGED, not " + oversight));
        }
        if (oversight == Oversight.PRIVILEGED && !PRIVILEGED_RELATIONSHIPS.contains(relationship)) {
            out.add(new Problem("oversight", "PRIVILEGED is for legal and court contacts (relationship LEGAL or OTHER), "
                    + "not " + relationship + "; accepted here: RECORDED, MONITORED, SUPERVISED"));
        }
    }

    static void window(FieldPath path, TimeWindow w, List<Problem> out) {
        if (w.days().isEmpty()) {
            out.add(new Problem(path.field("days").toString(), "must name at least one day: MON, TUE, WED, THU, FRI, SAT, SUN"));
        }
        if (!w.from().isBefore(w.to())) {
            out.add(new Problem(path.field("from").toString(), "must be before \"to\" (" + w.to() + "); windows are HH:MM "
                    + "Europe/London on one day and cannot cross midnight"));
        }
    }

    static void limits(FieldPath path, Limits l, List<Problem> out) {
        limit(path, "calls_per_week", l.callsPerWeek(), out);
        limit(path, "calls_per_fortnight", l.callsPerFortnight(), out);
        limit(path, "call_minutes", l.callMinutes(), out);
        limit(path, "messages_per_day", l.messagesPerDay(), out);
    }

    private static void limit(FieldPath parent, String field, Integer value, List<Problem> out) {
        if (value != null && (value < 0 || value > MAX_LIMIT)) {
            out.add(new Problem(parent.field(field).toString(), "must be a whole number from 0 to " + MAX_LIMIT + " (leave it out for no limit), not " + value));
        }
    }

    static void stage(FieldPath path, StepUpStage s, Set<Channel> baseChannels, Limits baseLimits, List<Problem> out) {
        if (s.channels() == null && s.limits() == null) {
            out.add(new Problem(path.toString(), "a stage must set \"channels\", \"limits\" or both"));
        }
        if (s.channels() != null && baseChannels != null) {
            for (Channel c : s.channels()) {
                if (!baseChannels.contains(c)) {
                    out.add(new Problem(path.field("channels").toString(), c + " is not in the policy's channels " + baseChannels
                            + "; a stage can only narrow the policy"));
                }
            }
        }
        if (s.limits() != null) {
            limits(path.field("limits"), s.limits(), out);
            if (baseLimits != null) {
                above(path.field("limits").field("calls_per_week"), s.limits().callsPerWeek(), baseLimits.callsPerWeek(), out);
                above(path.field("limits").field("calls_per_fortnight"), s.limits().callsPerFortnight(), baseLimits.callsPerFortnight(), out);
                above(path.field("limits").field("call_minutes"), s.limits().callMinutes(), baseLimits.callMinutes(), out);
                above(path.field("limits").field("messages_per_day"), s.limits().messagesPerDay(), baseLimits.messagesPerDay(), out);
            }
        }
    }

    private static void above(FieldPath path, Integer stage, Integer base, List<Problem> out) {
        // A broken base limit is reported once, at the base, not again at every stage.
        if (stage != null && base != null && base >= 0 && stage > base) {
            out.add(new Problem(path.toString(), "must not exceed the policy's own limit (" + base + "); a stage can only narrow the policy"));
        }
    }

    static void stageOrder(FieldPath path, LocalDate from, LocalDate previous, FieldPath previousPath, List<Problem> out) {
        if (!from.isAfter(previous)) {
            out.add(new Problem(path.toString(), "must be after " + previousPath + " (" + previous + "); stages are listed in date order"));
        }
    }

    static void neverWith(FieldPath path, String id, List<Problem> out) {
        if (!isPartyId(id)) {
            out.add(new Problem(path.toString(), "must be a prison number (\"E2468KL\") or a person id (\"pe-father\"), not \""
                    + PartyRefs.toDocument(id) + "\""));
        }
    }

    static void order(FieldPath path, CourtOrder o, List<Problem> out) {
        if (!isOrderKind(o.kind())) {
            out.add(new Problem(path.field("kind").toString(), "must be an upper-case identifier such as NON_MOLESTATION"));
        }
        if (o.ref().isBlank()) {
            out.add(new Problem(path.field("ref").toString(), "must be the order's reference, e.g. FC-2026-118"));
        }
        if (o.until() == null) {
            out.add(new Problem(path.field("until").toString(), "required: the last day the order is in force (YYYY-MM-DD)"));
        } else if (o.from() != null && o.from().isAfter(o.until())) {
            out.add(new Problem(path.field("from").toString(), "must not be after \"until\" (" + o.until() + ")"));
        }
    }

    static void content(FieldPath path, ContentRules c, Relationship relationship, Oversight oversight, List<Problem> out) {
        terms(path.field("sensitive_terms"), c.sensitiveTerms(), c::sensitiveTermSymbols, out);
        terms(path.field("blocked_terms"), c.blockedTerms(), c::blockedTermSymbols, out);
        // Only a privileged contact that may be privileged at all gets these; otherwise "oversight" is the problem.
        if (oversight == Oversight.PRIVILEGED && PRIVILEGED_RELATIONSHIPS.contains(relationship)) {
            String why = "privileged (legal) correspondence is never reviewed";
            if (c.reviewAll()) {
                out.add(new Problem(path.field("review_all").toString(), "must be false: " + why));
            }
            if (c.reviewPhotos()) {
                out.add(new Problem(path.field("review_photos").toString(), "must be false: " + why));
            }
            if (!c.sensitiveTerms().isEmpty()) {
                out.add(new Problem(path.field("sensitive_terms").toString(), "must be empty: " + why));
            }
            if (!c.blockedTerms().isEmpty()) {
                out.add(new Problem(path.field("blocked_terms").toString(), "must be empty: " + why));
            }
        }
    }

    private static void terms(FieldPath path, List<String> terms, IntUnaryOperator symbols,
                              List<Problem> out) {
        if (terms.size() > MAX_TERMS) {
            out.add(new Problem(path.toString(), "at most " + MAX_TERMS + " terms, not " + terms.size()));
        }
        for (int i = 0; i < terms.size(); i++) {
            // Symbol counts are precomputed with the policy, so validating on every decision stays cheap.
            String term = terms.get(i);
            int count = symbols.applyAsInt(i);
            if (term.length() > MAX_TERM_LENGTH || count < 2) {
                term(path.at(i), term, count, out);
            }
        }
    }

    static void term(FieldPath path, String term, List<Problem> out) {
        term(path, term, Folding.fold(term).length, out);
    }

    private static void term(FieldPath path, String term, int symbols, List<Problem> out) {
        if (term.length() > MAX_TERM_LENGTH) {
            out.add(new Problem(path.toString(), "at most " + MAX_TERM_LENGTH + " characters"));
        } else if (symbols < 2) {
            out.add(new Problem(path.toString(), "must hold at least 2 letters or digits, not \"" + term + "\""));
        }
    }

    /** "person:&lt;id&gt;" or "prisoner:&lt;id&gt;", id [A-Za-z0-9][A-Za-z0-9._-]{0,99} (a loop: this runs per decision). */
    static boolean isPartyId(String id) {
        int colon = id.indexOf(':');
        String kind = colon < 0 ? "" : id.substring(0, colon);
        int n = id.length() - colon - 1;
        if (!(kind.equals("person") || kind.equals("prisoner")) || n < 1 || n > 100) {
            return false;
        }
        for (int i = colon + 1; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && (i == colon + 1 || (c != '.' && c != '_' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    /** An upper-case identifier [A-Z][A-Z0-9_]{0,63}. */
    static boolean isOrderKind(String kind) {
        if (kind.isEmpty() || kind.length() > 64 || kind.charAt(0) < 'A' || kind.charAt(0) > 'Z') {
            return false;
        }
        for (int i = 1; i < kind.length(); i++) {
            char c = kind.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
