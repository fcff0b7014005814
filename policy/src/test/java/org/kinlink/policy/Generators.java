package org.kinlink.policy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Actor;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.Clearance;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContactState;
import org.kinlink.policy.model.Content;
import org.kinlink.policy.model.ContentRules;
import org.kinlink.policy.model.CourtOrder;
import org.kinlink.policy.model.Limits;
import org.kinlink.policy.model.ObligationType;
import org.kinlink.policy.model.OrderEffect;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Person;
import org.kinlink.policy.model.Prisoner;
import org.kinlink.policy.model.Relationship;
import org.kinlink.policy.model.Role;
import org.kinlink.policy.model.StepUpStage;
import org.kinlink.policy.model.Supervisor;
import org.kinlink.policy.model.SupervisorRole;
import org.kinlink.policy.model.TimeWindow;
import org.kinlink.policy.model.Usage;

/** jqwik generators of valid policies and requests around one week in May 2026 (and its step-up dates). */
final class Generators {
    static final LocalDate WEEK = LocalDate.of(2026, 5, 4);
    static final List<String> PEOPLE = List.of("person:p-a", "person:p-b", "person:p-c", "person:p-d");
    static final List<String> TERMS = List.of("Oakfield Primary", "Brook Street", "Sam", "Blackthorn");
    static final List<String> FRAGMENTS = List.of("hello love", "see you at 3pm", "I scored 10 out of 10",
            "we're at Oakfield Primary", "O a k f i e l d", "12 Brook Street", "M1 1AE", "ring 07700 900123",
            "mum@example.com", "www.example.org", "Sam says hi", "Bl4ckth0rn", "", "same again");
    static final Prisoner HOME = new Prisoner("prisoner:A1234BC", "STY", Clearance.FULL);

    private Generators() {
    }

    static <E extends Enum<E>> Arbitrary<Set<E>> subsetOf(Class<E> type) {
        return Arbitraries.of(type).set().map(s -> s.isEmpty() ? EnumSet.noneOf(type) : EnumSet.copyOf(s));
    }

    static Arbitrary<LocalTime> halfHour(int fromHour, int toHour) {
        return Arbitraries.integers().between(fromHour * 2, toHour * 2).map(h -> LocalTime.of(h / 2, (h % 2) * 30));
    }

    static Arbitrary<TimeWindow> windows() {
        return Combinators.combine(Arbitraries.of(DayOfWeek.class).set().ofMinSize(4), halfHour(6, 12),
                Arbitraries.integers().between(4, 28)).as((days, from, halfHours) -> {
                    LocalTime to = from.plusMinutes(30L * halfHours);
                    return new TimeWindow(days, from, to.isBefore(from) || to.equals(LocalTime.MIDNIGHT)
                            ? LocalTime.of(23, 30) : to);
                });
    }

    static Arbitrary<Integer> limit(int max) {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0)), Tuple.of(6, Arbitraries.integers().between(1, max)))
                .injectNull(0.4);
    }

    static Arbitrary<Limits> limits() {
        return Combinators.combine(limit(4), limit(4), Arbitraries.of(0, 15, 30, 45, 60, 60, 90, 90).injectNull(0.4), limit(12))
                .as(Limits::new);
    }

    static Arbitrary<CourtOrder> orders() {
        return Combinators.combine(Arbitraries.of(OrderEffect.class), Arbitraries.integers().between(-10, 10).injectNull(0.5),
                Arbitraries.integers().between(-10, 30)).as((effect, fromDays, untilDays) -> {
                    LocalDate from = fromDays == null ? null : WEEK.plusDays(fromDays);
                    LocalDate until = WEEK.plusDays(untilDays);
                    if (from != null && from.isAfter(until)) {
                        until = from;
                    }
                    return new CourtOrder("NON_MOLESTATION", effect, from, until, "FC-2026-" + (100 + untilDays + 10));
                });
    }

    static Arbitrary<ContentRules> content() {
        return Combinators.combine(Arbitraries.frequency(Tuple.of(1, true), Tuple.of(4, false)),
                Arbitraries.of(true, false), Arbitraries.of(TERMS).list().ofMaxSize(2), Arbitraries.of(TERMS).list().ofMaxSize(1))
                .as(ContentRules::new);
    }

    /** A valid, non-privileged policy. */
    static Arbitrary<ContactPolicy> policies() {
        Arbitrary<ContactState> state = Arbitraries.frequency(Tuple.of(40, ContactState.APPROVED),
                Tuple.of(1, ContactState.PENDING), Tuple.of(1, ContactState.SUSPENDED), Tuple.of(1, ContactState.REVOKED));
        Arbitrary<Set<Channel>> channels = Arbitraries.frequencyOf(
                Tuple.of(7, Arbitraries.just(EnumSet.allOf(Channel.class))), Tuple.of(1, subsetOf(Channel.class)));
        Arbitrary<Oversight> oversight = Arbitraries.of(Oversight.RECORDED, Oversight.MONITORED, Oversight.SUPERVISED);
        Arbitrary<Set<SupervisorRole>> supervisors = Arbitraries.of(SupervisorRole.class).set().ofMinSize(1);
        Arbitrary<Relationship> relationship = Arbitraries.of(Relationship.CHILD, Relationship.CARER, Relationship.PARENT,
                Relationship.SCHOOL, Relationship.SOCIAL_WORKER, Relationship.OTHER);
        return Combinators.combine(
                        Combinators.combine(state, relationship, channels, oversight, supervisors).as(Base::new),
                        sometimes(windows().list().ofMinSize(1).ofMaxSize(2), List.of()),
                        sometimes(limits(), Limits.NONE), rarely(stages(), List.of()),
                        sometimes(Arbitraries.of(PEOPLE).list().ofMaxSize(1), List.of()),
                        sometimes(orders().list().ofMaxSize(1), List.of()), content(), Arbitraries.of(true, false))
                .as((b, windows, limits, stages, never, orders, content, withSupervisor) -> {
                    List<StepUpStage> valid = new ArrayList<>();
                    for (StepUpStage s : stages) {
                        Set<Channel> ch = s.channels() == null ? null : EnumSet.copyOf(intersect(s.channels(), b.channels));
                        Limits l = s.limits() == null ? null : s.limits().tightest(limits);
                        if (ch != null || l != null) {
                            valid.add(new StepUpStage(s.from(), ch, l));
                        }
                    }
                    return ContactPolicy.builder().state(b.state).relationship(b.relationship).channels(b.channels)
                            .oversight(b.oversight)
                            .supervisor(b.oversight == Oversight.SUPERVISED || withSupervisor ? new Supervisor(b.roles) : null)
                            .windows(windows).limits(limits).stepUp(valid).neverWith(never).courtOrders(orders)
                            .content(content).build();
                });
    }

    /** The generated value one time in three, else the permissive default (so not everything is denied). */
    static <T> Arbitrary<T> sometimes(Arbitrary<T> arbitrary, T otherwise) {
        return Arbitraries.frequencyOf(Tuple.of(1, arbitrary), Tuple.of(2, Arbitraries.just(otherwise)));
    }

    /** The generated value one time in six, else the permissive default. */
    static <T> Arbitrary<T> rarely(Arbitrary<T> arbitrary, T otherwise) {
        return Arbitraries.frequencyOf(Tuple.of(1, arbitrary), Tuple.of(5, Arbitraries.just(otherwise)));
    }

    private record Base(ContactState state, Relationship relationship, Set<Channel> channels, Oversight oversight,
                        Set<SupervisorRole> roles) {
    }

    private static Set<Channel> intersect(Set<Channel> a, Set<Channel> b) {
        EnumSet<Channel> both = EnumSet.noneOf(Channel.class);
        both.addAll(a);
        both.retainAll(b);
        return both;
    }

    static Arbitrary<List<StepUpStage>> stages() {
        Arbitrary<StepUpStage> stage = Combinators.combine(Arbitraries.integers().between(-5, 10),
                subsetOf(Channel.class).injectNull(0.3), limits().injectNull(0.5))
                .as((days, ch, l) -> new StepUpStage(WEEK.plusDays(days), ch, l));
        return stage.list().ofMaxSize(2).map(list -> {
            List<StepUpStage> sorted = new ArrayList<>(list);
            sorted.sort((x, y) -> x.from().compareTo(y.from()));
            List<StepUpStage> distinct = new ArrayList<>();
            for (StepUpStage s : sorted) {
                if (distinct.isEmpty() || s.from().isAfter(distinct.get(distinct.size() - 1).from())) {
                    distinct.add(s);
                }
            }
            return distinct;
        });
    }

    /** A moment in the week (London), on a quarter hour between 06:00 and 21:00. */
    static Arbitrary<Instant> moments() {
        return Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.integers().between(24, 84))
                .as((day, quarter) -> WEEK.plusDays(day).atTime(quarter / 4, (quarter % 4) * 15)
                        .atZone(org.kinlink.policy.rules.London.ZONE).toInstant());
    }

    /** The shape of a request, before the policies are put in. */
    record Shape(Action action, Instant at, int minutes, Clearance clearance, List<Boolean> children, List<Usage> usage,
                 String text, Set<ObligationType> enforceable) {
    }

    static Arbitrary<Shape> shapes() {
        Arbitrary<Usage> usage = sometimes(Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 12)).as(Usage::new), Usage.NONE);
        return Combinators.combine(
                Arbitraries.of(Action.SEND_MESSAGE, Action.SEND_PHOTO, Action.BOOK_CALL, Action.JOIN_CALL),
                moments(), Arbitraries.of(15, 30, 45, 60), Arbitraries.frequency(Tuple.of(24, Clearance.FULL),
                        Tuple.of(1, Clearance.SUPERVISED), Tuple.of(1, Clearance.WRITTEN), Tuple.of(1, Clearance.NONE)),
                Arbitraries.frequency(Tuple.of(1, true), Tuple.of(2, false)).list().ofMinSize(1).ofMaxSize(3),
                usage.list().ofSize(3), Arbitraries.of(FRAGMENTS).list().ofMaxSize(3).map(l -> String.join(" ", l)),
                rarely(Arbitraries.of(ObligationType.class).set().map(s -> s.isEmpty()
                        ? EnumSet.noneOf(ObligationType.class) : EnumSet.copyOf(s)), EnumSet.allOf(ObligationType.class)))
                .as(Shape::new);
    }

    /** A request of this shape with one policy per person outside (messages use only the first). */
    static DecisionRequest request(Shape shape, List<ContactPolicy> policies) {
        Prisoner prisoner = new Prisoner(HOME.id(), HOME.establishment(), shape.clearance());
        DecisionRequest.Builder b = Fixtures.request(shape.action(), shape.at()).actor(Actor.prisoner(prisoner))
                .prisoner(prisoner).enforceable(shape.enforceable());
        int people = shape.action().isMessage() ? 1 : Math.min(policies.size(), shape.children().size());
        for (int i = 0; i < people; i++) {
            Person person = new Person(PEOPLE.get(i), shape.children().get(i));
            b.person(person, prisoner, policies.get(i), shape.usage().get(i));
        }
        if (shape.action().isCall()) {
            b.call(shape.at(), Duration.ofMinutes(shape.minutes()));
        } else {
            b.content(new Content(shape.text(), shape.action() == Action.SEND_PHOTO));
        }
        return b.build();
    }

    static Actor staffOf(String establishment, Role role) {
        return Actor.staff("staff:" + role, role, establishment);
    }
}
