package org.kinlink.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Actor;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.Clearance;
import org.kinlink.policy.model.Contact;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContactState;
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
import org.kinlink.policy.model.Reason;
import org.kinlink.policy.model.Relationship;
import org.kinlink.policy.model.Role;
import org.kinlink.policy.model.StepUpStage;
import org.kinlink.policy.model.Supervisor;
import org.kinlink.policy.model.SupervisorRole;
import org.kinlink.policy.model.TimeWindow;
import org.kinlink.policy.model.Usage;
import org.kinlink.policy.rules.Rule;
import org.kinlink.policy.rules.Rules;

/** Properties of the engine over generated policies and requests. */
class DecisionPropertiesTest {
    private static final PolicyEngine ENGINE = Fixtures.ENGINE;

    @Provide
    Arbitrary<List<ContactPolicy>> policies() {
        return Generators.policies().list().ofMinSize(1).ofMaxSize(3).edgeCases(c -> { });
    }

    @Provide
    Arbitrary<Generators.Shape> shapes() {
        return Generators.shapes();
    }

    @Provide
    Arbitrary<List<Rule>> shuffledRules() {
        return Arbitraries.shuffle(Rules.standard());
    }

    // ---- (a) DENY beats REVIEW beats PERMIT, whatever order the rules run in -------------------

    @Property(tries = 300)
    void ruleOrderNeverChangesTheDecision(@ForAll("shapes") Generators.Shape shape,
                                          @ForAll("policies") List<ContactPolicy> policies,
                                          @ForAll("shuffledRules") List<Rule> rules) {
        DecisionRequest request = Generators.request(shape, policies);
        Decision standard = ENGINE.decide(request);
        assertEquals(standard, new PolicyEngine(rules).decide(request));
        assertEquals(strictestOf(standard.reasons()), standard.effect(), standard.toJson(true));
    }

    private static Effect strictestOf(List<Reason> reasons) {
        Effect e = Effect.PERMIT;
        for (Reason r : reasons) {
            e = e.strictest(r.effect());
        }
        return e;
    }

    @Provide
    Arbitrary<List<Reason>> reasons() {
        Arbitrary<Reason> reason = Combinators.combine(Arbitraries.of(Rules.IDS), Arbitraries.of(Effect.class),
                Arbitraries.strings().alpha().ofMaxLength(3)).as((rule, effect, text) ->
                new Reason(rule, effect, "staff " + text, "user " + text, "CODE", List.of()));
        return reason.list().ofMaxSize(8);
    }

    @Property(tries = 300)
    void combiningIsOrderIndependentAndTheStrictestEffectWins(@ForAll("reasons") List<Reason> reasons,
                                                               @ForAll long seed) {
        List<Reason> shuffled = new ArrayList<>(reasons);
        Collections.shuffle(shuffled, new java.util.Random(seed));
        DecisionCombiner combiner = new DecisionCombiner();
        Set<ObligationType> all = EnumSet.allOf(ObligationType.class);
        Decision a = combiner.combine(reasons, List.of(), all);
        assertEquals(a, combiner.combine(shuffled, List.of(), all));
        boolean deny = reasons.stream().anyMatch(r -> r.effect() == Effect.DENY);
        boolean review = reasons.stream().anyMatch(r -> r.effect() == Effect.REVIEW);
        assertEquals(deny ? Effect.DENY : review ? Effect.REVIEW : Effect.PERMIT, a.effect());
    }

    // ---- (b) monotonicity: a stricter policy never turns DENY into PERMIT nor removes an obligation --

    /**
     * The strictness order this property uses (documented in policy/README.md): fewer channels
     * (base or stage), narrower or more windows (a first window where there was none), lower or new
     * limits (base or stage), oversight up RECORDED &lt; MONITORED &lt; SUPERVISED (PRIVILEGED is a
     * different kind and not on the scale), fewer supervisor roles, a new court order, a new
     * never_with, more sensitive or blocked terms, review_all / review_photos true, a worse state or
     * a later suspension, a lower clearance, fewer obligations the caller can enforce.
     */
    @Property(tries = 1500, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void stricterNeverLooser(@ForAll("shapes") Generators.Shape shape,
                             @ForAll("policies") List<ContactPolicy> policies,
                             @ForAll @IntRange(min = 0, max = 13) int kind,
                             @ForAll @IntRange(min = 0, max = 1000) int seed) {
        for (ContactPolicy p : policies) {
            Assume.that(PolicyDocuments.validate(p).isEmpty());
        }
        DecisionRequest base = Generators.request(shape, policies);
        DecisionRequest stricter = tighten(base, kind, seed);
        for (Contact c : stricter.contacts()) {
            assertEquals(List.of(), PolicyDocuments.validate(c.policy()), "a tightening must stay valid");
        }
        Decision before = ENGINE.decide(base);
        Decision after = ENGINE.decide(stricter);
        Statistics.label("before -> after").collect(before.effect() + " -> " + after.effect());
        String why = "tightening " + kind + "\nbefore " + before.toJson(true) + "\nafter  " + after.toJson(true);
        assertTrue(after.effect().compareTo(before.effect()) >= 0, why);
        if (after.effect() != Effect.DENY) {
            for (Obligation o : before.obligations()) {
                assertTrue(after.obligations().stream().anyMatch(n -> n.implies(o)), "lost " + o + ": " + why);
            }
        }
    }

    /** One tightening, applied to one contact (or to the prisoner, or to what the caller can enforce). */
    static DecisionRequest tighten(DecisionRequest r, int kind, int seed) {
        if (kind == 12) {
            Prisoner p = r.prisoners().get(0);
            Clearance lower = Clearance.values()[Math.max(0, p.clearance().ordinal() - 1 - seed % 2)];
            Prisoner q = new Prisoner(p.id(), p.establishment(), lower);
            return new DecisionRequest(r.action(), Actor.prisoner(q), r.at(), List.of(q), r.people(),
                    r.contacts().stream().map(c -> new Contact(q.id(), c.partyId(), c.policy(), c.usage())).toList(),
                    r.call(), r.content(), r.enforceable());
        }
        if (kind == 13) {
            Set<ObligationType> fewer = EnumSet.noneOf(ObligationType.class);
            fewer.addAll(r.enforceable());
            fewer.remove(ObligationType.values()[seed % ObligationType.values().length]);
            return r.withEnforceable(fewer);
        }
        List<Contact> contacts = new ArrayList<>(r.contacts());
        int i = seed % contacts.size();
        Contact c = contacts.get(i);
        contacts.set(i, new Contact(c.prisonerId(), c.partyId(), tighten(c.policy(), kind, seed), c.usage()));
        return r.withContacts(contacts);
    }

    static ContactPolicy tighten(ContactPolicy p, int kind, int seed) {
        ContactPolicy.Builder b = p.toBuilder();
        switch (kind) {
            case 0 -> {
                Channel gone = Channel.values()[seed % 3];
                b.channels(without(p.channels(), gone));
                b.stepUp(p.stepUp().stream().map(s -> new StepUpStage(s.from(),
                        s.channels() == null ? null : without(s.channels(), gone), s.limits())).toList());
            }
            case 1 -> b.windows(narrower(p.windows(), seed));
            case 2 -> {
                Limits lower = lower(p.limits(), seed);
                b.limits(lower);
                b.stepUp(p.stepUp().stream().map(s -> new StepUpStage(s.from(), s.channels(),
                        s.limits() == null ? null : s.limits().tightest(lower))).toList());
            }
            case 3 -> {
                switch (p.oversight()) {
                    case RECORDED -> b.oversight(Oversight.MONITORED);
                    case MONITORED -> b.oversight(Oversight.SUPERVISED).supervisor(p.supervisor() != null
                            ? p.supervisor() : Supervisor.anyOf(SupervisorRole.values()[seed % 5]));
                    default -> {
                        Set<SupervisorRole> roles = p.supervisor().anyOf();
                        if (roles.size() > 1) {
                            List<SupervisorRole> list = new ArrayList<>(roles);
                            list.remove(seed % list.size());
                            b.supervisor(new Supervisor(Set.copyOf(list)));
                        }
                    }
                }
            }
            case 4 -> {
                List<CourtOrder> orders = new ArrayList<>(p.courtOrders());
                LocalDate from = seed % 2 == 0 ? null : Generators.WEEK.plusDays(seed % 7);
                orders.add(new CourtOrder("PROHIBITED_STEPS", OrderEffect.values()[seed % 4], from,
                        Generators.WEEK.plusDays(40), "FC-NEW-" + seed));
                b.courtOrders(orders);
            }
            case 5 -> b.neverWith(plus(p.neverWith(), Generators.PEOPLE.get(seed % Generators.PEOPLE.size())));
            case 6 -> b.content(new ContentRules(p.content().reviewAll(), p.content().reviewPhotos(),
                    plus(p.content().sensitiveTerms(), Generators.TERMS.get(seed % 4)), p.content().blockedTerms()));
            case 7 -> b.content(new ContentRules(p.content().reviewAll(), p.content().reviewPhotos(),
                    p.content().sensitiveTerms(), plus(p.content().blockedTerms(), Generators.TERMS.get(seed % 4))));
            case 8 -> b.content(new ContentRules(true, p.content().reviewPhotos(), p.content().sensitiveTerms(),
                    p.content().blockedTerms()));
            case 9 -> b.content(new ContentRules(p.content().reviewAll(), true, p.content().sensitiveTerms(),
                    p.content().blockedTerms()));
            case 10 -> {
                if (seed % 2 == 0) {
                    b.state(ContactState.values()[new int[] {0, 2, 3}[seed % 3]]);
                } else {
                    b.suspendedUntil(Generators.WEEK.plusDays(7 + seed % 30).atStartOfDay(
                            org.kinlink.policy.rules.London.ZONE).toInstant());
                }
            }
            case 11 -> {
                List<StepUpStage> stages = new ArrayList<>(p.stepUp());
                if (!stages.isEmpty()) {
                    int k = seed % stages.size();
                    StepUpStage s = stages.get(k);
                    Set<Channel> ch = s.channels() == null ? without(p.channels(), Channel.values()[seed % 3])
                            : without(s.channels(), Channel.values()[seed % 3]);
                    stages.set(k, new StepUpStage(s.from(), ch, s.limits()));
                    b.stepUp(stages);
                }
            }
            default -> throw new IllegalArgumentException("kind " + kind);
        }
        return b.build();
    }

    private static Set<Channel> without(Set<Channel> channels, Channel gone) {
        EnumSet<Channel> less = EnumSet.noneOf(Channel.class);
        less.addAll(channels);
        less.remove(gone);
        return less;
    }

    private static <T> List<T> plus(List<T> list, T item) {
        List<T> more = new ArrayList<>(list);
        more.add(item);
        return more;
    }

    private static List<TimeWindow> narrower(List<TimeWindow> windows, int seed) {
        if (windows.isEmpty()) {
            // No windows means "any time": a first window is narrower.
            return List.of(Fixtures.weekdays("09:00", "15:00"));
        }
        List<TimeWindow> out = new ArrayList<>(windows);
        int i = seed % out.size();
        TimeWindow w = out.get(i);
        switch (seed % 3) {
            case 0 -> {
                LocalTime later = w.from().plusMinutes(30);
                if (later.isBefore(w.to())) {
                    out.set(i, new TimeWindow(w.days(), later, w.to()));
                }
            }
            case 1 -> {
                LocalTime earlier = w.to().minusMinutes(30);
                if (earlier.isAfter(w.from())) {
                    out.set(i, new TimeWindow(w.days(), w.from(), earlier));
                }
            }
            default -> {
                if (w.days().size() > 1) {
                    List<java.time.DayOfWeek> days = new ArrayList<>(w.days());
                    days.remove(seed % days.size());
                    out.set(i, new TimeWindow(Set.copyOf(days), w.from(), w.to()));
                } else if (out.size() > 1) {
                    out.remove(i);
                }
            }
        }
        return out;
    }

    private static Limits lower(Limits l, int seed) {
        int v = seed % 3;
        return switch (seed % 4) {
            case 0 -> new Limits(down(l.callsPerWeek(), v), l.callsPerFortnight(), l.callMinutes(), l.messagesPerDay());
            case 1 -> new Limits(l.callsPerWeek(), down(l.callsPerFortnight(), v), l.callMinutes(), l.messagesPerDay());
            case 2 -> new Limits(l.callsPerWeek(), l.callsPerFortnight(), down(l.callMinutes(), 15 * v), l.messagesPerDay());
            default -> new Limits(l.callsPerWeek(), l.callsPerFortnight(), l.callMinutes(), down(l.messagesPerDay(), v));
        };
    }

    private static Integer down(Integer limit, int newLimit) {
        return limit == null ? Integer.valueOf(newLimit) : Integer.valueOf(Math.max(0, limit - 1));
    }

    // ---- (c) privileged: never RECORD or MONITOR; monitoring it is always DENY ---------------------

    static final ContactPolicy PRIVILEGED = ContactPolicy.builder().relationship(Relationship.LEGAL)
            .oversight(Oversight.PRIVILEGED).channels(Channel.MESSAGE, Channel.VIDEO, Channel.PHOTO).build();

    @Provide
    Arbitrary<Actor> anyActor() {
        return Combinators.combine(Arbitraries.of(Role.class), Arbitraries.of("STY", "RSY", "SEND"))
                .as((role, est) -> switch (role) {
                    case PRISONER -> Actor.prisoner(Generators.HOME);
                    case PERSON_OUTSIDE -> Actor.person("person:p-lawyer");
                    default -> Actor.staff("staff:" + role, role, est);
                });
    }

    @Property(tries = 800)
    void privilegedIsNeverRecordedOrMonitored(@ForAll("shapes") Generators.Shape shape,
                                             @ForAll("policies") List<ContactPolicy> others,
                                             @ForAll Action action,
                                             @ForAll("anyActor") Actor actor) {
        DecisionRequest generated = Generators.request(shape, others);
        Prisoner prisoner = generated.prisoners().get(0);
        List<Person> people = new ArrayList<>(generated.people());
        List<Contact> contacts = new ArrayList<>(generated.contacts());
        Person lawyer = Person.adult("person:p-lawyer");
        people.add(0, lawyer);
        contacts.add(0, new Contact(prisoner.id(), lawyer.id(), PRIVILEGED, Usage.NONE));
        if (action.isMessage()) {
            people = List.of(lawyer);
            contacts = List.of(contacts.get(0));
        }
        DecisionRequest request = new DecisionRequest(action, actor, generated.at(), List.of(prisoner), people,
                contacts, generated.call(), generated.content(), generated.enforceable());
        Decision d = ENGINE.decide(request);
        assertFalse(d.requires(ObligationType.RECORD), d.toJson(true));
        assertFalse(d.requires(ObligationType.MONITOR), d.toJson(true));
        if (action == Action.MONITOR_CALL || action == Action.VIEW_RECORDING) {
            assertEquals(Effect.DENY, d.effect(), d.toJson(true));
        }
    }

    // ---- (d) determinism --------------------------------------------------------------------

    @Property(tries = 300)
    void evaluationIsDeterministic(@ForAll("shapes") Generators.Shape shape,
                                   @ForAll("policies") List<ContactPolicy> policies) {
        DecisionRequest request = Generators.request(shape, policies);
        Decision first = ENGINE.decide(request);
        assertEquals(first, ENGINE.decide(request));
        assertEquals(first, new PolicyEngine().decide(request));
        assertEquals(first.toJson(true), ENGINE.decide(request).toJson(true));
        List<Person> people = new ArrayList<>(request.people());
        List<Contact> contacts = new ArrayList<>(request.contacts());
        Collections.reverse(people);
        Collections.reverse(contacts);
        DecisionRequest reordered = new DecisionRequest(request.action(), request.actor(), request.at(),
                request.prisoners(), people, contacts, request.call(), request.content(), request.enforceable());
        assertEquals(first, ENGINE.decide(reordered), "the order people are listed in does not matter");
    }

    @Property(tries = 200)
    void generatedPoliciesRoundTripThroughJson(@ForAll("policies") List<ContactPolicy> policies) {
        for (ContactPolicy p : policies) {
            ParseResult again = PolicyDocuments.parse(PolicyDocuments.toJson(p));
            assertEquals(p, again.policy().orElseThrow(() -> new AssertionError(again.problems())));
        }
    }

}
