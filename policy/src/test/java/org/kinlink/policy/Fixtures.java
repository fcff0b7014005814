package org.kinlink.policy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Actor;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.Clearance;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContentRules;
import org.kinlink.policy.model.ObligationType;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Person;
import org.kinlink.policy.model.Prisoner;
import org.kinlink.policy.model.Relationship;
import org.kinlink.policy.model.Role;
import org.kinlink.policy.model.TimeWindow;
import org.kinlink.policy.model.Usage;
import org.kinlink.policy.rules.London;

/** Shared people, policies and moments for the tests. */
final class Fixtures {
    static final PolicyEngine ENGINE = new PolicyEngine();
    /** A caller that can enforce every obligation (each test that needs less says so). */
    static final Set<ObligationType> ALL = EnumSet.allOf(ObligationType.class);

    static final Prisoner MOTHER = new Prisoner("prisoner:A1234BC", "STY", Clearance.FULL);
    static final Person CARER = Person.adult("person:p-carer-01");
    static final Person CHILD = Person.child("person:p-child-01");
    static final Person SCHOOL = Person.adult("person:p-school-01");
    static final Person LAWYER = Person.adult("person:p-lawyer-01");
    static final Actor MOTHER_ACTS = Actor.prisoner(MOTHER);

    /** Monday 4 May 2026, 10:00 London (BST). */
    static final Instant MONDAY_10 = london("2026-05-04T10:00");

    static final String DOMAIN_EXAMPLE = """
            {
              "state": "APPROVED",
              "suspended_until": null,
              "relationship": "CHILD",
              "channels": ["MESSAGE", "VIDEO", "PHOTO"],
              "oversight": "RECORDED",
              "supervisor": {"any_of": ["SCHOOL", "CARER", "SOCIAL_WORKER"]},
              "windows": [{"days": ["MON","TUE","WED","THU","FRI"], "from": "09:00", "to": "15:00"}],
              "limits": {"calls_per_week": 2, "call_minutes": 30, "messages_per_day": 10},
              "step_up": [
                {"from": "2026-12-01", "channels": ["MESSAGE"], "limits": {"messages_per_day": 2}},
                {"from": "2027-01-05", "channels": ["MESSAGE", "VIDEO"], "limits": {"calls_per_week": 1, "call_minutes": 15}}
              ],
              "never_with": ["person:p-father-01"],
              "court_orders": [{"kind": "NON_MOLESTATION", "effect": "NO_CONTACT", "until": "2027-06-30", "ref": "FC-2026-118"}],
              "content": {
                "review_all": false,
                "review_photos": true,
                "sensitive_terms": ["Oakfield Primary", "Brook Street"],
                "blocked_terms": []
              }
            }
            """;

    private Fixtures() {
    }

    static Instant london(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(London.ZONE).toInstant();
    }

    static TimeWindow window(String from, String to, DayOfWeek... days) {
        Set<DayOfWeek> set = days.length == 0 ? EnumSet.allOf(DayOfWeek.class) : EnumSet.copyOf(List.of(days));
        return new TimeWindow(set, LocalTime.parse(from), LocalTime.parse(to));
    }

    static TimeWindow weekdays(String from, String to) {
        return window(from, to, DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
                DayOfWeek.FRIDAY);
    }

    /** An approved, recorded carer contact with every channel, no restrictions and no photo review. */
    static ContactPolicy.Builder open() {
        return ContactPolicy.builder().relationship(Relationship.CARER).oversight(Oversight.RECORDED)
                .channels(Channel.MESSAGE, Channel.VIDEO, Channel.PHOTO)
                .content(new ContentRules(false, false, List.of(), List.of()));
    }

    static ContentRules terms(List<String> sensitive, List<String> blocked) {
        return new ContentRules(false, false, sensitive, blocked);
    }

    /** A request from a caller that can enforce every obligation. */
    static DecisionRequest.Builder request(Action action, Instant at) {
        return DecisionRequest.builder(action, at).enforceable(ALL);
    }

    /** The mother messages a person at a moment. */
    static DecisionRequest message(ContactPolicy policy, Person to, Instant at, String text) {
        return DecisionRequest.message(MOTHER_ACTS, at, MOTHER, to, policy, Usage.NONE, text, ALL);
    }

    /** The mother messages the carer on Monday 10:00. */
    static DecisionRequest message(ContactPolicy policy, String text) {
        return message(policy, CARER, MONDAY_10, text);
    }

    /** The mother books a call with one person. */
    static DecisionRequest call(Action action, ContactPolicy policy, Person with, Instant start, int minutes) {
        return Fixtures.request(action, start).actor(MOTHER_ACTS).prisoner(MOTHER)
                .person(with, MOTHER, policy, Usage.NONE).call(start, Duration.ofMinutes(minutes)).build();
    }

    /** A staff actor of the mother's prison. */
    static Actor staff(Role role) {
        return Actor.staff("staff:" + role.name().toLowerCase(), role, MOTHER.establishment());
    }
}
