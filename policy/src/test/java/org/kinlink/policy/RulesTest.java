package org.kinlink.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.policy.Fixtures.CARER;
import static org.kinlink.policy.Fixtures.CHILD;
import static org.kinlink.policy.Fixtures.LAWYER;
import static org.kinlink.policy.Fixtures.MONDAY_10;
import static org.kinlink.policy.Fixtures.MOTHER;
import static org.kinlink.policy.Fixtures.MOTHER_ACTS;
import static org.kinlink.policy.Fixtures.london;
import static org.kinlink.policy.Fixtures.open;
import static org.kinlink.policy.Fixtures.staff;
import static org.kinlink.policy.Fixtures.weekdays;
import static org.kinlink.policy.model.ObligationType.END_BY;
import static org.kinlink.policy.model.ObligationType.MONITOR;
import static org.kinlink.policy.model.ObligationType.NO_RECORDING;
import static org.kinlink.policy.model.ObligationType.RECORD;
import static org.kinlink.policy.model.ObligationType.REVIEW_BEFORE_DELIVERY;
import static org.kinlink.policy.model.ObligationType.SUPERVISOR_PRESENT;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Actor;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.Clearance;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContactState;
import org.kinlink.policy.model.Content;
import org.kinlink.policy.model.ContentRules;
import org.kinlink.policy.model.CourtOrder;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.Limits;
import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.ObligationType;
import org.kinlink.policy.model.OrderEffect;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Person;
import org.kinlink.policy.model.Prisoner;
import org.kinlink.policy.model.Relationship;
import org.kinlink.policy.model.Role;
import org.kinlink.policy.model.StepUpStage;
import org.kinlink.policy.model.SupervisorRole;
import org.kinlink.policy.model.Usage;
import org.kinlink.policy.rules.Rules;

/** Every rule of docs/domain.md's table, each firing and not firing, as a table of cases. */
class RulesTest {
    private static final Person FATHER = Person.adult("person:p-father-01");
    private static final Person SOCIAL_WORKER = Person.adult("person:p-sw-01");
    private static final ContactPolicy LEGAL = ContactPolicy.builder().relationship(Relationship.LEGAL)
            .oversight(Oversight.PRIVILEGED).channels(Channel.MESSAGE, Channel.VIDEO).build();

    /** One row: a request, the effect it must get, a rule that must (or must not) be among the reasons. */
    record Case(String name, DecisionRequest request, Effect effect, String rule, boolean ruleFires,
                Set<ObligationType> obligations) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case fires(String name, DecisionRequest r, Effect e, String rule, ObligationType... obligations) {
        return new Case(name, r, e, rule, true, set(obligations));
    }

    private static Case quiet(String name, DecisionRequest r, Effect e, String rule, ObligationType... obligations) {
        return new Case(name, r, e, rule, false, set(obligations));
    }

    private static Set<ObligationType> set(ObligationType... types) {
        return types.length == 0 ? EnumSet.noneOf(ObligationType.class) : EnumSet.copyOf(List.of(types));
    }

    // ---- request helpers ------------------------------------------------------------------------

    private static DecisionRequest msg(ContactPolicy p, String text) {
        return Fixtures.message(p, text);
    }

    private static DecisionRequest msgAt(ContactPolicy p, Instant at) {
        return Fixtures.message(p, CARER, at, "hello");
    }

    private static DecisionRequest msgUsed(ContactPolicy p, int messagesToday) {
        return DecisionRequest.message(MOTHER_ACTS, MONDAY_10, MOTHER, CARER, p, new Usage(0, 0, messagesToday), "hi", Fixtures.ALL);
    }

    private static DecisionRequest photo(ContactPolicy p) {
        return Fixtures.request(Action.SEND_PHOTO, MONDAY_10).actor(MOTHER_ACTS).prisoner(MOTHER)
                .person(CARER, MOTHER, p, Usage.NONE).content(Content.photo("my drawing")).build();
    }

    private static DecisionRequest call(ContactPolicy p, Instant start, int minutes) {
        return Fixtures.call(Action.BOOK_CALL, p, CARER, start, minutes);
    }

    private static DecisionRequest call(ContactPolicy p) {
        return call(p, MONDAY_10, 30);
    }

    private static DecisionRequest callUsed(ContactPolicy p, Usage usage) {
        return Fixtures.request(Action.BOOK_CALL, MONDAY_10).actor(MOTHER_ACTS).prisoner(MOTHER)
                .person(CARER, MOTHER, p, usage).call(MONDAY_10, Duration.ofMinutes(30)).build();
    }

    private static DecisionRequest withClearance(Clearance clearance, Action action, Person person, ContactPolicy p) {
        Prisoner mother = new Prisoner(MOTHER.id(), MOTHER.establishment(), clearance);
        DecisionRequest.Builder b = Fixtures.request(action, MONDAY_10).actor(Actor.prisoner(mother))
                .prisoner(mother).person(person, mother, p, Usage.NONE);
        if (action.isCall()) {
            b.call(MONDAY_10, Duration.ofMinutes(30));
        }
        if (action == Action.SEND_PHOTO) {
            b.content(Content.photo(""));
        }
        return b.build();
    }

    private static DecisionRequest staffAction(Action action, Actor actor, ContactPolicy p) {
        return Fixtures.request(action, MONDAY_10).actor(actor).prisoner(MOTHER)
                .person(CARER, MOTHER, p, Usage.NONE).call(MONDAY_10, Duration.ofMinutes(30)).build();
    }

    private static CourtOrder order(OrderEffect effect, LocalDate from, LocalDate until) {
        return new CourtOrder("NON_MOLESTATION", effect, from, until, "FC-2026-118");
    }

    private static final LocalDate TODAY = LocalDate.of(2026, 5, 4);

    // ---- the table ----------------------------------------------------------------------------

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        ContactPolicy base = open().build();

        // CONTACT_NOT_APPROVED
        String id = "CONTACT_NOT_APPROVED";
        for (ContactState s : List.of(ContactState.PENDING, ContactState.SUSPENDED, ContactState.REVOKED)) {
            c.add(fires(s + " contact", msg(open().state(s).build(), "hi"), Effect.DENY, id));
        }
        c.add(fires("suspended until later", msg(open().suspendedUntil(MONDAY_10.plusSeconds(60)).build(), "hi"),
                Effect.DENY, id));
        c.add(quiet("suspension over", msg(open().suspendedUntil(MONDAY_10.minusSeconds(60)).build(), "hi"),
                Effect.PERMIT, id));
        c.add(fires("no contact with a call participant", Fixtures.request(Action.BOOK_CALL, MONDAY_10)
                .actor(MOTHER_ACTS).prisoner(MOTHER).person(CARER, MOTHER, base, Usage.NONE).person(FATHER)
                .call(MONDAY_10, Duration.ofMinutes(30)).build(), Effect.DENY, id));
        c.add(quiet("approved", msg(base, "hi"), Effect.PERMIT, id));

        // COURT_ORDER
        id = "COURT_ORDER";
        c.add(fires("no-contact order in force", msg(open().courtOrders(order(OrderEffect.NO_CONTACT, null, TODAY.plusYears(1))).build(), "hi"),
                Effect.DENY, id));
        c.add(fires("order in force through its last day", msg(open().courtOrders(order(OrderEffect.NO_CONTACT, null, TODAY)).build(), "hi"),
                Effect.DENY, id));
        c.add(quiet("order ended yesterday", msg(open().courtOrders(order(OrderEffect.NO_CONTACT, null, TODAY.minusDays(1))).build(), "hi"),
                Effect.PERMIT, id));
        c.add(quiet("order not yet in force", msg(open().courtOrders(order(OrderEffect.NO_CONTACT, TODAY.plusDays(1), TODAY.plusYears(1))).build(), "hi"),
                Effect.PERMIT, id));
        c.add(fires("no direct contact: no video", call(open().courtOrders(order(OrderEffect.NO_DIRECT_CONTACT, null, TODAY.plusYears(1))).build()),
                Effect.DENY, id));
        c.add(quiet("no direct contact: messages fine", msg(open().courtOrders(order(OrderEffect.NO_DIRECT_CONTACT, null, TODAY.plusYears(1))).build(), "hi"),
                Effect.PERMIT, id));
        c.add(fires("no indirect contact: no messages", msg(open().courtOrders(order(OrderEffect.NO_INDIRECT_CONTACT, null, TODAY.plusYears(1))).build(), "hi"),
                Effect.DENY, id));
        c.add(fires("no photos", photo(open().courtOrders(order(OrderEffect.NO_PHOTOS, null, TODAY.plusYears(1))).build()),
                Effect.DENY, id));
        c.add(fires("order starting during a call ends it", call(open().courtOrders(order(OrderEffect.NO_CONTACT, TODAY.plusDays(1), TODAY.plusYears(1))).build(),
                london("2026-05-04T23:40"), 30), Effect.PERMIT, id, END_BY, RECORD));

        // CHILD_CONTACT_CLEARANCE
        id = "CHILD_CONTACT_CLEARANCE";
        ContactPolicy child = open().relationship(Relationship.CHILD).build();
        ContactPolicy sw = open().relationship(Relationship.SOCIAL_WORKER).build();
        c.add(fires("NONE: no message to a child", withClearance(Clearance.NONE, Action.SEND_MESSAGE, CHILD, child), Effect.DENY, id));
        c.add(fires("NONE: no call with a child", withClearance(Clearance.NONE, Action.BOOK_CALL, CHILD, child), Effect.DENY, id));
        c.add(quiet("NONE: social worker is fine", withClearance(Clearance.NONE, Action.SEND_MESSAGE, SOCIAL_WORKER, sw), Effect.PERMIT, id));
        c.add(fires("NONE: a CHILD relationship marks a child even unflagged",
                withClearance(Clearance.NONE, Action.SEND_MESSAGE, Person.adult("person:p-kid"), child), Effect.DENY, id));
        c.add(fires("NONE: a flagged child marks a child whatever the relationship",
                withClearance(Clearance.NONE, Action.SEND_MESSAGE, CHILD, base), Effect.DENY, id));
        c.add(fires("WRITTEN: messages reviewed", withClearance(Clearance.WRITTEN, Action.SEND_MESSAGE, CHILD, child), Effect.REVIEW, id,
                REVIEW_BEFORE_DELIVERY));
        c.add(fires("WRITTEN: no photos", withClearance(Clearance.WRITTEN, Action.SEND_PHOTO, CHILD, child), Effect.DENY, id));
        c.add(fires("WRITTEN: no video", withClearance(Clearance.WRITTEN, Action.BOOK_CALL, CHILD, child), Effect.DENY, id));
        c.add(fires("SUPERVISED: video with a supervisor", withClearance(Clearance.SUPERVISED, Action.BOOK_CALL, CHILD, child), Effect.PERMIT, id,
                SUPERVISOR_PRESENT, RECORD));
        c.add(fires("SUPERVISED: messages reviewed", withClearance(Clearance.SUPERVISED, Action.SEND_MESSAGE, CHILD, child), Effect.REVIEW, id,
                REVIEW_BEFORE_DELIVERY));
        c.add(quiet("FULL: no restriction", withClearance(Clearance.FULL, Action.BOOK_CALL, CHILD, child), Effect.PERMIT, id, RECORD));

        // CHANNEL_NOT_ALLOWED
        id = "CHANNEL_NOT_ALLOWED";
        ContactPolicy messagesOnly = open().channels(Channel.MESSAGE).build();
        c.add(fires("call on a messages-only contact", call(messagesOnly), Effect.DENY, id));
        c.add(fires("photo on a messages-only contact", photo(messagesOnly), Effect.DENY, id));
        c.add(fires("message with a photo attached needs PHOTO too", Fixtures.request(Action.SEND_MESSAGE, MONDAY_10)
                .actor(MOTHER_ACTS).prisoner(MOTHER).person(CARER, MOTHER, messagesOnly, Usage.NONE)
                .content(Content.photo("look")).build(), Effect.DENY, id));
        c.add(quiet("message on a messages-only contact", msg(messagesOnly, "hi"), Effect.PERMIT, id));
        ContactPolicy stepped = open().stepUp(
                new StepUpStage(TODAY.plusDays(1), Set.of(Channel.MESSAGE), null),
                new StepUpStage(TODAY.plusDays(8), Set.of(Channel.MESSAGE, Channel.VIDEO), null)).build();
        c.add(fires("before the step-up plan starts", msg(stepped, "hi"), Effect.DENY, id));
        c.add(fires("stage 1: no video yet", call(stepped, MONDAY_10.plus(Duration.ofDays(1)), 30), Effect.DENY, id));
        c.add(quiet("stage 1: messages", msgAt(stepped, MONDAY_10.plus(Duration.ofDays(1))), Effect.PERMIT, id));
        c.add(quiet("stage 2: video", call(stepped, MONDAY_10.plus(Duration.ofDays(8)), 30), Effect.PERMIT, id, RECORD));

        // OUTSIDE_WINDOW
        id = "OUTSIDE_WINDOW";
        ContactPolicy school = open().windows(weekdays("09:00", "15:00")).build();
        c.add(fires("message after the window", msgAt(school, london("2026-05-04T16:00")), Effect.DENY, id));
        c.add(fires("message before the window", msgAt(school, london("2026-05-04T08:59")), Effect.DENY, id));
        c.add(fires("message at the closing minute", msgAt(school, london("2026-05-04T15:00")), Effect.DENY, id));
        c.add(fires("Saturday", msgAt(school, london("2026-05-09T10:00")), Effect.DENY, id));
        c.add(quiet("message inside", msgAt(school, london("2026-05-04T09:00")), Effect.PERMIT, id));
        c.add(fires("call running past the window", call(school, london("2026-05-04T14:45"), 30), Effect.DENY, id));
        c.add(fires("call inside gets END_BY at the window end", call(school, london("2026-05-04T14:00"), 30), Effect.PERMIT, id,
                END_BY, RECORD));
        c.add(fires("booked call already over", Fixtures.call(Action.JOIN_CALL, base, CARER, MONDAY_10, 30).withMoment(MONDAY_10.plus(Duration.ofMinutes(31))),
                Effect.DENY, id));

        // LIMIT_REACHED
        id = "LIMIT_REACHED";
        ContactPolicy limited = open().limits(new Limits(2, 1, 30, 10)).build();
        c.add(fires("11th message today", msgUsed(limited, 10), Effect.DENY, id));
        c.add(quiet("10th message today", msgUsed(limited, 9), Effect.PERMIT, id));
        c.add(fires("3rd call this week", callUsed(limited, new Usage(2, 0, 0)), Effect.DENY, id));
        c.add(fires("2nd call this fortnight", callUsed(limited, new Usage(1, 1, 0)), Effect.DENY, id));
        c.add(fires("first call: END_BY at call_minutes", callUsed(limited, Usage.NONE), Effect.PERMIT, id, END_BY, RECORD));
        c.add(fires("call longer than call_minutes", call(limited, MONDAY_10, 45), Effect.DENY, id));
        c.add(fires("call_minutes 0", call(open().limits(Limits.of(null, 0, null)).build()), Effect.DENY, id));
        c.add(quiet("no limits", call(base), Effect.PERMIT, id, RECORD));

        // NEVER_TOGETHER
        id = "NEVER_TOGETHER";
        ContactPolicy notWithFather = open().relationship(Relationship.CHILD).neverWith(FATHER.id()).build();
        ContactPolicy fatherContact = open().relationship(Relationship.PARENT).build();
        c.add(fires("father listed in the call", Fixtures.request(Action.BOOK_CALL, MONDAY_10).actor(MOTHER_ACTS)
                .prisoner(MOTHER).person(CHILD, MOTHER, notWithFather, Usage.NONE).person(FATHER, MOTHER, fatherContact, Usage.NONE)
                .call(MONDAY_10, Duration.ofMinutes(30)).build(), Effect.DENY, id));
        c.add(fires("father joins without being listed", Fixtures.request(Action.JOIN_CALL, MONDAY_10)
                .actor(Actor.person(FATHER.id())).prisoner(MOTHER).person(CHILD, MOTHER, notWithFather, Usage.NONE)
                .call(MONDAY_10, Duration.ofMinutes(30)).build(), Effect.DENY, id));
        c.add(quiet("father absent", Fixtures.call(Action.BOOK_CALL, notWithFather, CHILD, MONDAY_10, 30), Effect.PERMIT, id, RECORD));

        // SUPERVISOR_REQUIRED and OVERSIGHT
        ContactPolicy supervised = open().oversight(Oversight.SUPERVISED).supervisor(SupervisorRole.SCHOOL).build();
        c.add(fires("supervised call", call(supervised), Effect.PERMIT, "SUPERVISOR_REQUIRED", SUPERVISOR_PRESENT, RECORD, MONITOR));
        c.add(quiet("supervised contact's message", msg(supervised, "hi"), Effect.PERMIT, "SUPERVISOR_REQUIRED"));
        c.add(fires("recorded call", call(base), Effect.PERMIT, "OVERSIGHT", RECORD));
        c.add(fires("monitored call", call(open().oversight(Oversight.MONITORED).build()), Effect.PERMIT, "OVERSIGHT", RECORD, MONITOR));
        c.add(quiet("messages carry no call oversight", msg(base, "hi"), Effect.PERMIT, "OVERSIGHT"));

        // PRIVILEGED
        id = "PRIVILEGED";
        c.add(fires("legal call: never recorded", Fixtures.call(Action.BOOK_CALL, LEGAL, LAWYER, MONDAY_10, 60), Effect.PERMIT, id, NO_RECORDING));
        c.add(fires("legal message: not screened", Fixtures.message(LEGAL, LAWYER, MONDAY_10, "Court at 1 Bridge Street, M1 1AE"),
                Effect.PERMIT, id, NO_RECORDING));
        c.add(fires("monitoring a legal call", Fixtures.request(Action.MONITOR_CALL, MONDAY_10).actor(staff(Role.SECURITY))
                .prisoner(MOTHER).person(LAWYER, MOTHER, LEGAL, Usage.NONE).build(), Effect.DENY, id));
        c.add(fires("a legal call's recording", Fixtures.request(Action.VIEW_RECORDING, MONDAY_10).actor(staff(Role.SECURITY))
                .prisoner(MOTHER).person(LAWYER, MOTHER, LEGAL, Usage.NONE).build(), Effect.DENY, id));
        c.add(fires("monitoring without the call's contacts", Fixtures.request(Action.MONITOR_CALL, MONDAY_10)
                .actor(staff(Role.SECURITY)).prisoner(MOTHER).person(LAWYER).build(), Effect.DENY, id));
        c.add(fires("legal call with a recorded carer", Fixtures.request(Action.BOOK_CALL, MONDAY_10).actor(MOTHER_ACTS)
                .prisoner(MOTHER).person(LAWYER, MOTHER, LEGAL, Usage.NONE).person(CARER, MOTHER, base, Usage.NONE)
                .call(MONDAY_10, Duration.ofMinutes(30)).build(), Effect.DENY, id));
        c.add(quiet("monitoring a recorded call", staffAction(Action.MONITOR_CALL, staff(Role.SECURITY), base), Effect.PERMIT, id));

        // Content rules
        ContactPolicy sensitive = open().content(Fixtures.terms(List.of("Oakfield Primary"), List.of("parole board"))).build();
        c.add(fires("sensitive term", msg(sensitive, "she's at 0akfield Primary"), Effect.REVIEW, "SENSITIVE_TERM", REVIEW_BEFORE_DELIVERY));
        c.add(quiet("no sensitive term", msg(sensitive, "she's at school"), Effect.PERMIT, "SENSITIVE_TERM"));
        c.add(fires("postcode", msg(base, "we're at M1 1AE now"), Effect.REVIEW, "LOCATION_DISCLOSURE", REVIEW_BEFORE_DELIVERY));
        c.add(fires("phone number", msg(base, "ring 07700 900123"), Effect.REVIEW, "LOCATION_DISCLOSURE", REVIEW_BEFORE_DELIVERY));
        c.add(quiet("scores are not phone numbers", msg(base, "I scored 10 out of 10, see you at 3pm"), Effect.PERMIT, "LOCATION_DISCLOSURE"));
        c.add(fires("blocked term", msg(sensitive, "the Parole  Board said"), Effect.DENY, "BLOCKED_TERM"));
        c.add(fires("photo reviewed", photo(open().content(new ContentRules(false, true, List.of(), List.of())).build()),
                Effect.REVIEW, "PHOTO_REVIEW", REVIEW_BEFORE_DELIVERY));
        c.add(quiet("photo not reviewed", photo(base), Effect.PERMIT, "PHOTO_REVIEW"));
        c.add(fires("review all", msg(open().content(new ContentRules(true, false, List.of(), List.of())).build(), "hi"),
                Effect.REVIEW, "REVIEW_ALL", REVIEW_BEFORE_DELIVERY));

        // STAFF_ONLY
        id = "STAFF_ONLY";
        c.add(fires("officer sends a message", DecisionRequest.message(staff(Role.OFFICER), MONDAY_10, MOTHER, CARER, base, Usage.NONE, "hi", Fixtures.ALL),
                Effect.DENY, id));
        c.add(fires("prisoner monitors", staffAction(Action.MONITOR_CALL, MOTHER_ACTS, base), Effect.DENY, id));
        c.add(fires("officer monitors", staffAction(Action.MONITOR_CALL, staff(Role.OFFICER), base), Effect.DENY, id));
        c.add(fires("family worker views a recording", staffAction(Action.VIEW_RECORDING, staff(Role.FAMILY_WORKER), base), Effect.DENY, id));
        c.add(quiet("security views a recording", staffAction(Action.VIEW_RECORDING, staff(Role.SECURITY), base), Effect.PERMIT, id));
        c.add(fires("other prison's security monitors", staffAction(Action.MONITOR_CALL,
                Actor.staff("staff:x", Role.SECURITY, "SEND"), base), Effect.DENY, id));
        c.add(fires("security changes a policy", staffAction(Action.CHANGE_POLICY, staff(Role.SECURITY), base), Effect.DENY, id));
        c.add(fires("person outside changes a policy", staffAction(Action.CHANGE_POLICY, Actor.person(CARER.id()), base), Effect.DENY, id));
        c.add(fires("officer of another prison changes a policy", staffAction(Action.CHANGE_POLICY,
                Actor.staff("staff:y", Role.OFFICER, "SEND"), base), Effect.DENY, id));
        for (Role role : List.of(Role.OFFICER, Role.FAMILY_WORKER, Role.ADMIN)) {
            c.add(quiet(role + " changes a policy", staffAction(Action.CHANGE_POLICY, staff(role), base), Effect.PERMIT, id));
        }
        c.add(fires("a prisoner not in the conversation", DecisionRequest.message(Actor.prisoner(new Prisoner("prisoner:Z9999ZZ", "STY",
                Clearance.FULL)), MONDAY_10, MOTHER, CARER, base, Usage.NONE, "hi", Fixtures.ALL), Effect.DENY, id));
        c.add(fires("a person not in the conversation", DecisionRequest.message(Actor.person("person:stranger"), MONDAY_10, MOTHER,
                CARER, base, Usage.NONE, "hi", Fixtures.ALL), Effect.DENY, id));
        c.add(quiet("the carer replies", DecisionRequest.message(Actor.person(CARER.id()), MONDAY_10, MOTHER, CARER, base, Usage.NONE,
                "hi", Fixtures.ALL), Effect.PERMIT, id));
        c.add(quiet("officer books a call for the mother", staffAction(Action.BOOK_CALL, staff(Role.OFFICER), base), Effect.PERMIT, id,
                RECORD));

        // OBLIGATION_UNAVAILABLE: fail closed
        id = Rules.OBLIGATION_UNAVAILABLE;
        c.add(fires("recorder down", call(base).withEnforceable(EnumSet.complementOf(EnumSet.of(RECORD))), Effect.DENY, id));
        c.add(fires("review queue down", msg(base, "M1 1AE").withEnforceable(EnumSet.noneOf(ObligationType.class)), Effect.DENY, id));
        c.add(quiet("nothing needed, nothing available", msg(base, "hi").withEnforceable(EnumSet.noneOf(ObligationType.class)),
                Effect.PERMIT, id));
        c.add(quiet("monitor down but only recording needed", call(base).withEnforceable(EnumSet.of(RECORD, END_BY)), Effect.PERMIT, id,
                RECORD));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(Case c) {
        Decision d = Fixtures.ENGINE.decide(c.request());
        String why = d.toJson(true);
        assertEquals(c.effect(), d.effect(), why);
        assertEquals(c.ruleFires(), d.hasReason(c.rule()), why);
        if (c.effect() != Effect.DENY) {
            assertEquals(c.obligations(), d.obligations().stream().map(Obligation::type)
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(ObligationType.class))), why);
        } else {
            assertTrue(d.obligations().isEmpty(), "a DENY carries no obligations: " + why);
        }
    }

    @Test
    void everyRuleHasCases() {
        Set<String> covered = cases().filter(Case::ruleFires).map(Case::rule).collect(Collectors.toSet());
        for (String rule : Rules.IDS) {
            if (!rule.equals(Rules.INVALID_POLICY)) {
                assertTrue(covered.contains(rule), "no case fires " + rule);
            }
        }
    }

    @Test
    void endByIsTheEarliestOfWindowCallMinutesAndOrder() {
        ContactPolicy p = open().windows(weekdays("09:00", "15:00")).limits(Limits.of(null, 45, null)).build();
        Instant start = london("2026-05-04T14:30");
        DecisionRequest open = Fixtures.request(Action.JOIN_CALL, start).actor(MOTHER_ACTS).prisoner(MOTHER)
                .person(CARER, MOTHER, p, Usage.NONE).build();
        assertEquals(london("2026-05-04T15:00"), ENGINE().decide(open).endBy().orElseThrow(), "window end first");
        Instant early = london("2026-05-04T10:00");
        DecisionRequest morning = Fixtures.request(Action.JOIN_CALL, early.plus(Duration.ofMinutes(20)))
                .actor(MOTHER_ACTS).prisoner(MOTHER).person(CARER, MOTHER, p, Usage.NONE).call(early, null).build();
        assertEquals(london("2026-05-04T10:45"), ENGINE().decide(morning).endBy().orElseThrow(),
                "call_minutes from the call's start, even when joining late");
        ContactPolicy ordered = p.toBuilder().windows(List.of()).courtOrders(
                order(OrderEffect.NO_DIRECT_CONTACT, TODAY.plusDays(1), TODAY.plusDays(9))).build();
        DecisionRequest late = Fixtures.request(Action.BOOK_CALL, london("2026-05-04T23:30")).actor(MOTHER_ACTS)
                .prisoner(MOTHER).person(CARER, MOTHER, ordered, Usage.NONE).build();
        assertEquals(london("2026-05-05T00:00"), ENGINE().decide(late).endBy().orElseThrow(), "order start first");
    }

    @Test
    void aNoPhotosOrderDoesNotStopACall() {
        ContactPolicy p = open().courtOrders(order(OrderEffect.NO_PHOTOS, null, TODAY.plusYears(1))).build();
        assertFalse(ENGINE().decide(call(p)).hasReason("COURT_ORDER"));
    }

    private static PolicyEngine ENGINE() {
        return Fixtures.ENGINE;
    }
}
