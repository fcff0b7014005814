package org.kinlink.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.policy.Fixtures.london;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
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
import org.kinlink.policy.model.Contact;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContactState;
import org.kinlink.policy.model.Content;
import org.kinlink.policy.model.ContentRules;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.Limits;
import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.ObligationType;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Person;
import org.kinlink.policy.model.Prisoner;
import org.kinlink.policy.model.Relationship;
import org.kinlink.policy.model.Role;
import org.kinlink.policy.model.StepUpStage;
import org.kinlink.policy.model.SupervisorRole;
import org.kinlink.policy.model.Usage;

/** The stories of docs/domain.md, as tables of moments and the decisions they must get. */
class StoriesTest {
    private static final PolicyEngine ENGINE = Fixtures.ENGINE;

    /** One row of a story. */
    record Step(String story, String name, DecisionRequest request, Effect effect, Set<String> rules,
                Set<ObligationType> obligations) {
        @Override
        public String toString() {
            return story + ": " + name;
        }
    }

    private static Step step(String story, String name, DecisionRequest r, Effect e, Set<String> rules,
                             ObligationType... obligations) {
        return new Step(story, name, r, e, rules,
                obligations.length == 0 ? EnumSet.noneOf(ObligationType.class) : EnumSet.copyOf(List.of(obligations)));
    }

    // ---- Jade: weekly video at school, supervised by the safeguarding lead; never with her father;
    //      the mother may not learn the school's name from messages.

    static final Prisoner JADES_MOTHER = new Prisoner("prisoner:A1234BC", "STY", Clearance.FULL);
    static final Person JADE = Person.child("person:p-jade-01");
    static final Person DSL = Person.adult("person:p-dsl-oakfield");
    static final Person JADES_FATHER = Person.adult("person:p-father-01");
    static final ContactPolicy JADE_POLICY = ContactPolicy.builder().relationship(Relationship.CHILD)
            .channels(Channel.MESSAGE, Channel.VIDEO).oversight(Oversight.SUPERVISED).supervisor(SupervisorRole.SCHOOL)
            .windows(weekdays("09:00", "15:00")).limits(Limits.of(1, 30, 5)).neverWith(JADES_FATHER.id())
            .content(new ContentRules(false, true, List.of("Oakfield Primary", "Oakfield"), List.of())).build();
    static final ContactPolicy DSL_POLICY = ContactPolicy.builder().relationship(Relationship.SCHOOL)
            .channels(Channel.MESSAGE, Channel.VIDEO).oversight(Oversight.RECORDED)
            .content(new ContentRules(false, true, List.of("Oakfield Primary", "Oakfield"), List.of())).build();
    static final ContactPolicy FATHER_POLICY = ContactPolicy.builder().relationship(Relationship.PARENT)
            .channels(Channel.MESSAGE).build();
    static final Instant TUESDAY_11 = london("2026-05-05T11:00");

    static DecisionRequest.Builder jadeCall(Action action, Actor actor, Instant at, Usage usage) {
        return Fixtures.request(action, at).actor(actor).prisoner(JADES_MOTHER)
                .person(JADE, JADES_MOTHER, JADE_POLICY, usage).person(DSL, JADES_MOTHER, DSL_POLICY, Usage.NONE)
                .call(at, Duration.ofMinutes(30));
    }

    static Stream<Step> jade() {
        String s = "Jade";
        Actor mother = Actor.prisoner(JADES_MOTHER);
        return Stream.of(
                step(s, "weekly call at school, supervised by the school", jadeCall(Action.BOOK_CALL, mother, TUESDAY_11,
                        Usage.NONE).build(), Effect.PERMIT, Set.of("SUPERVISOR_REQUIRED", "OVERSIGHT"),
                        SUPERVISOR_PRESENT, RECORD, MONITOR, END_BY),
                step(s, "Jade joins from school", jadeCall(Action.JOIN_CALL, Actor.person(JADE.id()), TUESDAY_11,
                        Usage.NONE).build(), Effect.PERMIT, Set.of("SUPERVISOR_REQUIRED"), SUPERVISOR_PRESENT, RECORD,
                        MONITOR, END_BY),
                step(s, "her father is in the call", jadeCall(Action.BOOK_CALL, mother, TUESDAY_11, Usage.NONE)
                        .person(JADES_FATHER, JADES_MOTHER, FATHER_POLICY, Usage.NONE).build(), Effect.DENY,
                        Set.of("NEVER_TOGETHER")),
                step(s, "her father tries to join", jadeCall(Action.JOIN_CALL, Actor.person(JADES_FATHER.id()), TUESDAY_11,
                        Usage.NONE).build(), Effect.DENY, Set.of("NEVER_TOGETHER", "STAFF_ONLY")),
                step(s, "a second call this week", jadeCall(Action.BOOK_CALL, mother, TUESDAY_11, new Usage(1, 1, 0))
                        .build(), Effect.DENY, Set.of("LIMIT_REACHED")),
                step(s, "a call on Saturday", jadeCall(Action.BOOK_CALL, mother, london("2026-05-09T11:00"), Usage.NONE)
                        .build(), Effect.DENY, Set.of("OUTSIDE_WINDOW")),
                step(s, "the school names itself in a message", DecisionRequest.message(Actor.person(DSL.id()), TUESDAY_11,
                        JADES_MOTHER, DSL, DSL_POLICY, Usage.NONE, "Jade did well at 0 a k f i e l d today!", Fixtures.ALL),
                        Effect.REVIEW, Set.of("SENSITIVE_TERM"), REVIEW_BEFORE_DELIVERY),
                step(s, "the mother asks which school", DecisionRequest.message(mother, TUESDAY_11, JADES_MOTHER, JADE,
                        JADE_POLICY, Usage.NONE, "is it OAKFIELD PRIMARY?", Fixtures.ALL), Effect.REVIEW, Set.of("SENSITIVE_TERM"),
                        REVIEW_BEFORE_DELIVERY),
                step(s, "an ordinary message", DecisionRequest.message(mother, TUESDAY_11, JADES_MOTHER, JADE,
                        JADE_POLICY, Usage.NONE, "Well done on your spelling test, 10 out of 10!", Fixtures.ALL), Effect.PERMIT, Set.of()));
    }

    // ---- Remand mother at Eastwood Park: LAC review (professional, recorded) and a family-court
    //      hearing with her solicitor (privileged, never recorded or monitored).

    static final Prisoner REMAND = new Prisoner("prisoner:B2345CD", "EWP", Clearance.FULL);
    static final Person SOCIAL_WORKER = Person.adult("person:p-sw-bristol-7");
    static final Person IRO = Person.adult("person:p-iro-3");
    static final Person COURT = Person.adult("person:court-bristol-family");
    static final Person SOLICITOR = Person.adult("person:p-sol-12");
    static final ContactPolicy PROFESSIONAL = ContactPolicy.builder().relationship(Relationship.SOCIAL_WORKER)
            .channels(Channel.MESSAGE, Channel.VIDEO).oversight(Oversight.RECORDED).build();
    static final ContactPolicy IRO_POLICY = PROFESSIONAL.toBuilder().relationship(Relationship.OTHER).build();
    static final ContactPolicy COURT_POLICY = ContactPolicy.builder().relationship(Relationship.OTHER)
            .channels(Channel.VIDEO).oversight(Oversight.PRIVILEGED).build();
    static final ContactPolicy SOLICITOR_POLICY = ContactPolicy.builder().relationship(Relationship.LEGAL)
            .channels(Channel.MESSAGE, Channel.VIDEO).oversight(Oversight.PRIVILEGED).build();
    static final Instant HEARING = london("2026-05-06T10:30");

    static DecisionRequest.Builder hearing(Action action, Actor actor) {
        return Fixtures.request(action, HEARING).actor(actor).prisoner(REMAND)
                .person(COURT, REMAND, COURT_POLICY, Usage.NONE).person(SOLICITOR, REMAND, SOLICITOR_POLICY, Usage.NONE)
                .call(HEARING, Duration.ofHours(2));
    }

    static Stream<Step> remand() {
        String s = "Remand mother";
        Actor mother = Actor.prisoner(REMAND);
        Actor security = Actor.staff("staff:sec-ewp", Role.SECURITY, "EWP");
        return Stream.of(
                step(s, "joins her child's LAC review", Fixtures.request(Action.JOIN_CALL, HEARING).actor(mother)
                        .prisoner(REMAND).person(SOCIAL_WORKER, REMAND, PROFESSIONAL, Usage.NONE)
                        .person(IRO, REMAND, IRO_POLICY, Usage.NONE).call(HEARING, Duration.ofHours(1)).build(),
                        Effect.PERMIT, Set.of("OVERSIGHT"), RECORD),
                step(s, "joins the family-court hearing", hearing(Action.JOIN_CALL, mother).build(), Effect.PERMIT,
                        Set.of("PRIVILEGED"), NO_RECORDING),
                step(s, "the hearing goes ahead with the recorder down", hearing(Action.JOIN_CALL, mother).build()
                        .withEnforceable(EnumSet.of(NO_RECORDING, END_BY)), Effect.PERMIT, Set.of("PRIVILEGED"), NO_RECORDING),
                step(s, "security asks to monitor the hearing", hearing(Action.MONITOR_CALL, security).build(),
                        Effect.DENY, Set.of("PRIVILEGED")),
                step(s, "security asks for the hearing's recording", hearing(Action.VIEW_RECORDING, security).build(),
                        Effect.DENY, Set.of("PRIVILEGED")),
                step(s, "a privileged letter with the court's address is not read", DecisionRequest.message(
                        Actor.person(SOLICITOR.id()), HEARING, REMAND, SOLICITOR, SOLICITOR_POLICY, Usage.NONE,
                        "Hearing at Bristol Civil Justice Centre, 2 Redcliff Street, BS1 6GR", Fixtures.ALL), Effect.PERMIT,
                        Set.of("PRIVILEGED"), NO_RECORDING),
                step(s, "the social worker cannot sit in the privileged hearing on a recorded contact",
                        hearing(Action.BOOK_CALL, mother).person(SOCIAL_WORKER, REMAND, PROFESSIONAL, Usage.NONE).build(),
                        Effect.DENY, Set.of("PRIVILEGED")));
    }

    // ---- Inter-prison: the father at another prison, the mother and their baby in the MBU.

    static final Prisoner MBU_MOTHER = new Prisoner("prisoner:C3456DE", "STY", Clearance.FULL);
    static final Prisoner FATHER = new Prisoner("prisoner:E2468KL", "RSY", Clearance.FULL);
    static final Person BABY = Person.child("person:p-baby-01");
    static final ContactPolicy MOTHER_TO_FATHER = ContactPolicy.builder().relationship(Relationship.PARTNER)
            .channels(Channel.VIDEO).oversight(Oversight.MONITORED).build();
    static final ContactPolicy MOTHER_TO_BABY = ContactPolicy.builder().relationship(Relationship.CHILD)
            .channels(Channel.VIDEO).oversight(Oversight.RECORDED).build();
    static final ContactPolicy FATHER_TO_MOTHER = ContactPolicy.builder().relationship(Relationship.PARTNER)
            .channels(Channel.VIDEO).oversight(Oversight.RECORDED).windows(weekdays("09:00", "16:00")).build();
    static final ContactPolicy FATHER_TO_BABY = ContactPolicy.builder().relationship(Relationship.CHILD)
            .channels(Channel.VIDEO).oversight(Oversight.RECORDED).limits(Limits.of(null, 45, null)).build();
    static final Instant WEDNESDAY_2PM = london("2026-05-06T14:00");

    static DecisionRequest.Builder family(Action action, Actor actor, Prisoner father, Instant at) {
        return Fixtures.request(action, at).actor(actor).prisoner(MBU_MOTHER).prisoner(father).person(BABY)
                .contact(MBU_MOTHER, father.id(), MOTHER_TO_FATHER, Usage.NONE)
                .contact(MBU_MOTHER, BABY.id(), MOTHER_TO_BABY, Usage.NONE)
                .contact(father, MBU_MOTHER.id(), FATHER_TO_MOTHER, Usage.NONE)
                .contact(father, BABY.id(), FATHER_TO_BABY, Usage.NONE);
    }

    static Stream<Step> interPrison() {
        String s = "Inter-prison family";
        Actor mother = Actor.prisoner(MBU_MOTHER);
        Prisoner uncleared = new Prisoner(FATHER.id(), FATHER.establishment(), Clearance.NONE);
        return Stream.of(
                step(s, "the family call: both prisons' policies apply", family(Action.BOOK_CALL, mother, FATHER,
                        WEDNESDAY_2PM).build(), Effect.PERMIT, Set.of("OVERSIGHT"), RECORD, MONITOR, END_BY),
                step(s, "the father joins from his prison", family(Action.JOIN_CALL, Actor.prisoner(FATHER), FATHER,
                        WEDNESDAY_2PM).build(), Effect.PERMIT, Set.of("OVERSIGHT"), RECORD, MONITOR, END_BY),
                step(s, "Styal security monitors", family(Action.MONITOR_CALL, Actor.staff("staff:s1", Role.SECURITY,
                        "STY"), FATHER, WEDNESDAY_2PM).build(), Effect.PERMIT, Set.of()),
                step(s, "Risley security monitors", family(Action.MONITOR_CALL, Actor.staff("staff:r1", Role.SECURITY,
                        "RSY"), FATHER, WEDNESDAY_2PM).build(), Effect.PERMIT, Set.of()),
                step(s, "a third prison's security may not", family(Action.MONITOR_CALL, Actor.staff("staff:x",
                        Role.SECURITY, "SEND"), FATHER, WEDNESDAY_2PM).build(), Effect.DENY, Set.of("STAFF_ONLY")),
                step(s, "the father's clearance forbids contact with the baby", family(Action.BOOK_CALL, mother, uncleared,
                        WEDNESDAY_2PM).build(), Effect.DENY, Set.of("CHILD_CONTACT_CLEARANCE")),
                step(s, "inside the mother's hours but outside the father's", family(Action.BOOK_CALL, mother, FATHER,
                        london("2026-05-06T16:30")).build(), Effect.DENY, Set.of("OUTSIDE_WINDOW")),
                step(s, "the father's prison has no contact for him with the mother", Fixtures.request(
                        Action.BOOK_CALL, WEDNESDAY_2PM).actor(mother).prisoner(MBU_MOTHER).prisoner(FATHER).person(BABY)
                        .contact(MBU_MOTHER, FATHER.id(), MOTHER_TO_FATHER, Usage.NONE)
                        .contact(MBU_MOTHER, BABY.id(), MOTHER_TO_BABY, Usage.NONE)
                        .contact(FATHER, BABY.id(), FATHER_TO_BABY, Usage.NONE).build(), Effect.DENY,
                        Set.of("CONTACT_NOT_APPROVED")));
    }

    // ---- Foster boy: drawings as photos (reviewed) first, then a 15-minute video every fortnight.

    static final Prisoner FOSTER_MOTHER = new Prisoner("prisoner:D4567EF", "SEND", Clearance.FULL);
    static final Person BOY = Person.child("person:p-boy-01");
    static final LocalDate PHOTOS_FROM = LocalDate.of(2026, 6, 1);
    static final LocalDate VIDEO_FROM = LocalDate.of(2026, 7, 6);
    static final ContactPolicy BOY_POLICY = ContactPolicy.builder().relationship(Relationship.CHILD)
            .channels(Channel.MESSAGE, Channel.PHOTO, Channel.VIDEO).oversight(Oversight.SUPERVISED)
            .supervisor(SupervisorRole.CARER, SupervisorRole.SOCIAL_WORKER).limits(new Limits(1, 1, 30, 2))
            .content(new ContentRules(false, true, List.of(), List.of()))
            .stepUp(new StepUpStage(PHOTOS_FROM, Set.of(Channel.PHOTO), null),
                    new StepUpStage(VIDEO_FROM, Set.of(Channel.PHOTO, Channel.VIDEO), new Limits(null, 1, 15, null)))
            .build();

    static DecisionRequest boy(Action action, Instant at, Usage usage, int minutes) {
        DecisionRequest.Builder b = Fixtures.request(action, at).actor(Actor.prisoner(FOSTER_MOTHER))
                .prisoner(FOSTER_MOTHER).person(BOY, FOSTER_MOTHER, BOY_POLICY, usage);
        if (action == Action.SEND_PHOTO) {
            b.content(Content.photo("for you"));
        } else if (action == Action.SEND_MESSAGE) {
            b.text("hello love");
        } else {
            b.call(at, Duration.ofMinutes(minutes));
        }
        return b.build();
    }

    static Stream<Step> fosterBoy() {
        String s = "Foster boy";
        Instant beforePlan = london("2026-05-20T16:00");
        Instant photos = london("2026-06-10T16:00");
        Instant video = london("2026-07-08T16:00");
        return Stream.of(
                step(s, "nothing before the plan starts", boy(Action.SEND_PHOTO, beforePlan, Usage.NONE, 0),
                        Effect.DENY, Set.of("CHANNEL_NOT_ALLOWED")),
                step(s, "a drawing sent as a photo is reviewed", boy(Action.SEND_PHOTO, photos, Usage.NONE, 0),
                        Effect.REVIEW, Set.of("PHOTO_REVIEW"), REVIEW_BEFORE_DELIVERY),
                step(s, "no text messages at the photo stage", boy(Action.SEND_MESSAGE, photos, Usage.NONE, 0),
                        Effect.DENY, Set.of("CHANNEL_NOT_ALLOWED")),
                step(s, "no video at the photo stage", boy(Action.BOOK_CALL, photos, Usage.NONE, 15),
                        Effect.DENY, Set.of("CHANNEL_NOT_ALLOWED")),
                step(s, "a 15-minute supervised video", boy(Action.BOOK_CALL, video, Usage.NONE, 15), Effect.PERMIT,
                        Set.of("SUPERVISOR_REQUIRED", "LIMIT_REACHED"), SUPERVISOR_PRESENT, RECORD, MONITOR, END_BY),
                step(s, "not 20 minutes", boy(Action.BOOK_CALL, video, Usage.NONE, 20), Effect.DENY,
                        Set.of("LIMIT_REACHED")),
                step(s, "not twice in a fortnight", boy(Action.BOOK_CALL, video, new Usage(0, 1, 0), 15), Effect.DENY,
                        Set.of("LIMIT_REACHED")),
                step(s, "drawings still reviewed at the video stage", boy(Action.SEND_PHOTO, video, Usage.NONE, 0),
                        Effect.REVIEW, Set.of("PHOTO_REVIEW"), REVIEW_BEFORE_DELIVERY));
    }

    // ---- Clearance NONE: no contact with any child until assessed; social worker and lawyer fine.

    static final Prisoner UNCLEARED = new Prisoner("prisoner:F5678GH", "STY", Clearance.NONE);
    static final Person DAUGHTER = Person.child("person:p-daughter-9");
    static final ContactPolicy DAUGHTER_POLICY = ContactPolicy.builder().relationship(Relationship.CHILD)
            .channels(Channel.MESSAGE, Channel.VIDEO, Channel.PHOTO).oversight(Oversight.RECORDED).build();

    static Stream<Step> clearanceNone() {
        String s = "Clearance NONE";
        Actor mother = Actor.prisoner(UNCLEARED);
        Instant at = london("2026-05-05T14:00");
        return Stream.of(
                step(s, "no message to her daughter", DecisionRequest.message(mother, at, UNCLEARED, DAUGHTER,
                        DAUGHTER_POLICY, Usage.NONE, "love you", Fixtures.ALL), Effect.DENY, Set.of("CHILD_CONTACT_CLEARANCE")),
                step(s, "no call with her daughter", Fixtures.request(Action.BOOK_CALL, at).actor(mother)
                        .prisoner(UNCLEARED).person(DAUGHTER, UNCLEARED, DAUGHTER_POLICY, Usage.NONE)
                        .call(at, Duration.ofMinutes(20)).build(), Effect.DENY, Set.of("CHILD_CONTACT_CLEARANCE")),
                step(s, "a call with her social worker is fine", Fixtures.request(Action.BOOK_CALL, at).actor(mother)
                        .prisoner(UNCLEARED).person(SOCIAL_WORKER, UNCLEARED, PROFESSIONAL, Usage.NONE)
                        .call(at, Duration.ofMinutes(20)).build(), Effect.PERMIT, Set.of("OVERSIGHT"), RECORD),
                step(s, "a message to her lawyer is fine", DecisionRequest.message(mother, at, UNCLEARED, SOLICITOR,
                        SOLICITOR_POLICY, Usage.NONE, "can we talk about the hearing", Fixtures.ALL), Effect.PERMIT,
                        Set.of("PRIVILEGED"), NO_RECORDING),
                step(s, "the social worker cannot bring the child along", Fixtures.request(Action.BOOK_CALL, at)
                        .actor(mother).prisoner(UNCLEARED).person(SOCIAL_WORKER, UNCLEARED, PROFESSIONAL, Usage.NONE)
                        .person(DAUGHTER, UNCLEARED, DAUGHTER_POLICY, Usage.NONE).call(at, Duration.ofMinutes(20)).build(),
                        Effect.DENY, Set.of("CHILD_CONTACT_CLEARANCE")));
    }

    // ---- Suspension during a live call: the next join/continue decision is DENY.

    static final Instant CALL_START = london("2026-05-05T10:00");

    static DecisionRequest liveCall(ContactPolicy carerPolicy, Instant at) {
        return Fixtures.request(Action.JOIN_CALL, at).actor(Actor.prisoner(Fixtures.MOTHER)).prisoner(Fixtures.MOTHER)
                .person(Fixtures.CARER, Fixtures.MOTHER, carerPolicy, Usage.NONE).call(CALL_START, Duration.ofMinutes(30))
                .build();
    }

    static Stream<Step> suspension() {
        String s = "Suspension mid-call";
        ContactPolicy carer = Fixtures.open().build();
        Instant disclosure = CALL_START.plus(Duration.ofMinutes(12));
        return Stream.of(
                step(s, "the call is live", liveCall(carer, CALL_START), Effect.PERMIT, Set.of(), RECORD),
                step(s, "the family worker may suspend it", Fixtures.request(Action.CHANGE_POLICY, disclosure)
                        .actor(Fixtures.staff(Role.FAMILY_WORKER)).prisoner(Fixtures.MOTHER)
                        .person(Fixtures.CARER, Fixtures.MOTHER, carer, Usage.NONE).build(), Effect.PERMIT, Set.of()),
                step(s, "continue after suspension", liveCall(carer.toBuilder().state(ContactState.SUSPENDED).build(),
                        disclosure.plusSeconds(1)), Effect.DENY, Set.of("CONTACT_NOT_APPROVED")),
                step(s, "continue after a timed suspension", liveCall(carer.toBuilder()
                        .suspendedUntil(disclosure.plus(Duration.ofDays(7))).build(), disclosure.plusSeconds(1)),
                        Effect.DENY, Set.of("CONTACT_NOT_APPROVED")),
                step(s, "rejoin after suspension", liveCall(carer.toBuilder().state(ContactState.SUSPENDED).build(),
                        disclosure.plus(Duration.ofMinutes(2))), Effect.DENY, Set.of("CONTACT_NOT_APPROVED")));
    }

    static Stream<Step> stories() {
        return Stream.of(jade(), remand(), interPrison(), fosterBoy(), clearanceNone(), suspension()).flatMap(x -> x);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stories")
    void storyStep(Step step) {
        Decision d = ENGINE.decide(step.request());
        String why = d.toJson(true);
        assertEquals(step.effect(), d.effect(), why);
        for (String rule : step.rules()) {
            assertTrue(d.hasReason(rule), rule + " missing: " + why);
        }
        assertEquals(step.obligations(), d.obligations().stream().map(Obligation::type)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ObligationType.class))), why);
    }

    @Test
    void jadesCallIsSupervisedBySchoolAndEndsAtHalfPast() {
        Decision d = ENGINE.decide(jadeCall(Action.BOOK_CALL, Actor.prisoner(JADES_MOTHER), TUESDAY_11, Usage.NONE).build());
        assertEquals(List.of(Obligation.supervisorPresent(Set.of(SupervisorRole.SCHOOL))),
                d.obligations().stream().filter(o -> o.type() == SUPERVISOR_PRESENT).toList());
        assertEquals(london("2026-05-05T11:30"), d.endBy().orElseThrow());
    }

    @Test
    void theMotherNeverSeesTheSchoolsName() {
        DecisionRequest r = DecisionRequest.message(Actor.person(DSL.id()), TUESDAY_11, JADES_MOTHER, DSL, DSL_POLICY,
                Usage.NONE, "Jade did well at Oakfield Primary today!", Fixtures.ALL);
        Decision d = ENGINE.decide(r);
        String user = d.toJson(false).toLowerCase(Locale.ROOT);
        assertFalse(user.contains("oakfield"), user);
        assertTrue(d.toJson(true).contains("Oakfield Primary"), "staff see which term matched");
        assertEquals(r.content().text().indexOf("Oakfield"), d.reasons().get(0).matches().get(0).start());
    }

    @Test
    void theInterPrisonCallEndsByTheFathersWindowAndItsCallLength() {
        Decision at2 = ENGINE.decide(family(Action.BOOK_CALL, Actor.prisoner(MBU_MOTHER), FATHER, WEDNESDAY_2PM).build());
        assertEquals(WEDNESDAY_2PM.plus(Duration.ofMinutes(45)), at2.endBy().orElseThrow(), "father-baby call_minutes");
        Instant late = london("2026-05-06T15:40");
        Decision at340 = ENGINE.decide(Fixtures.request(Action.JOIN_CALL, late).actor(Actor.prisoner(FATHER))
                .prisoner(MBU_MOTHER).prisoner(FATHER).person(BABY)
                .contact(new Contact(MBU_MOTHER.id(), FATHER.id(), MOTHER_TO_FATHER, Usage.NONE))
                .contact(new Contact(MBU_MOTHER.id(), BABY.id(), MOTHER_TO_BABY, Usage.NONE))
                .contact(new Contact(FATHER.id(), MBU_MOTHER.id(), FATHER_TO_MOTHER, Usage.NONE))
                .contact(new Contact(FATHER.id(), BABY.id(), FATHER_TO_BABY, Usage.NONE)).build());
        assertEquals(london("2026-05-06T16:00"), at340.endBy().orElseThrow(), "the father's prison window closes first");
    }

    @Test
    void theSuspendedCallerIsToldNothingAboutWhoSuspended() {
        Decision d = ENGINE.decide(liveCall(Fixtures.open().state(ContactState.SUSPENDED).build(), CALL_START));
        String user = d.toJson(false).toLowerCase(Locale.ROOT);
        for (String word : List.of("social worker", "suspend", "disclos", "court", "risk")) {
            assertFalse(user.contains(word), word + " in " + user);
        }
    }
}
