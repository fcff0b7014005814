package org.kinlink.policy.bench;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import org.kinlink.policy.DecisionRequest;
import org.kinlink.policy.model.ObligationType;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Actor;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.Clearance;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContentRules;
import org.kinlink.policy.model.Limits;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Person;
import org.kinlink.policy.model.Prisoner;
import org.kinlink.policy.model.Relationship;
import org.kinlink.policy.model.SupervisorRole;
import org.kinlink.policy.model.TimeWindow;
import org.kinlink.policy.model.Usage;
import org.kinlink.policy.rules.London;

/** Typical requests and messages for the benchmarks. */
final class BenchData {
    static final Prisoner MOTHER = new Prisoner("prisoner:A1234BC", "STY", Clearance.FULL);
    static final Instant TUESDAY_11 = LocalDateTime.of(2026, 5, 5, 11, 0).atZone(London.ZONE).toInstant();
    static final TimeWindow SCHOOL_HOURS = new TimeWindow(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
            LocalTime.of(9, 0), LocalTime.of(15, 0));
    static final ContentRules TERMS = new ContentRules(false, true,
            List.of("Oakfield Primary", "Oakfield", "Brook Street", "Blackthorn Estate", "Mrs Patel", "St Anne's",
                    "Greenway Park", "Riverside", "Jade Smith", "Hollybush Lane"),
            List.of("parole board", "burner", "sim card", "spice", "ketamine"));
    static final ContactPolicy CHILD = ContactPolicy.builder().relationship(Relationship.CHILD)
            .channels(Channel.MESSAGE, Channel.VIDEO, Channel.PHOTO).oversight(Oversight.SUPERVISED)
            .supervisor(SupervisorRole.SCHOOL, SupervisorRole.CARER).windows(SCHOOL_HOURS).limits(Limits.of(2, 30, 10))
            .neverWith("person:p-father-01").content(TERMS).build();
    static final ContactPolicy CARER = ContactPolicy.builder().relationship(Relationship.CARER)
            .channels(Channel.MESSAGE, Channel.VIDEO, Channel.PHOTO).oversight(Oversight.RECORDED)
            .limits(Limits.of(3, 45, 20)).content(TERMS).build();
    static final ContactPolicy SCHOOL = ContactPolicy.builder().relationship(Relationship.SCHOOL)
            .channels(Channel.MESSAGE, Channel.VIDEO).oversight(Oversight.RECORDED).windows(SCHOOL_HOURS)
            .content(TERMS).build();

    static final String MESSAGE_200 = "Hi love, hope school was good today. Nan says you did brilliant in your "
            + "spelling test, 10 out of 10! I'm so proud of you. See you on the call on Tuesday at 3pm. Love you lots, Mum xx";
    static final String MESSAGE_4K = fourKilobytes();

    private BenchData() {
    }

    private static String fourKilobytes() {
        String[] paragraphs = {
            "Dear Jade, I hope you are keeping well and that the new term has started nicely for you. ",
            "I have been doing my maths course every morning and my tutor says I am getting better at fractions. ",
            "We had a football match on the wing on Saturday and I scored 2 goals, can you believe it? ",
            "Nan wrote to say you have been helping with the dog and walking him round the block after tea. ",
            "When we talk on Tuesday I want to hear all about your science project and the volcano you made. ",
            "I drew you a picture of the garden here, there are sunflowers taller than me now. ",
            "Remember to drink your water and go to bed on time, your teacher told Nan you were tired last week. ",
            "I think about you every single day and I count the days until the next call, 10 out of 10 for effort! ",
        };
        String ending = " Post code M1 1AE, ring 07700 900123. Love, Mum";
        StringBuilder sb = new StringBuilder(4096);
        int i = 0;
        while (sb.length() < 4096) {
            sb.append(paragraphs[i++ % paragraphs.length]);
        }
        sb.setLength(4096 - ending.length());
        return sb.append(ending).toString();
    }

    static DecisionRequest message(String text) {
        return DecisionRequest.message(Actor.prisoner(MOTHER), TUESDAY_11, MOTHER, Person.adult("person:p-carer-01"),
                CARER, new Usage(0, 0, 3), text, EnumSet.allOf(ObligationType.class));
    }

    /** The mother, a child, the child's carer and the school's safeguarding lead. */
    static DecisionRequest fourPartyCall() {
        return DecisionRequest.builder(Action.JOIN_CALL, TUESDAY_11).actor(Actor.prisoner(MOTHER)).prisoner(MOTHER)
                .person(Person.child("person:p-jade-01"), MOTHER, CHILD, new Usage(1, 1, 0))
                .person(Person.adult("person:p-carer-01"), MOTHER, CARER, Usage.NONE)
                .person(Person.adult("person:p-dsl-01"), MOTHER, SCHOOL, Usage.NONE)
                .call(TUESDAY_11, Duration.ofMinutes(30)).enforceable(EnumSet.allOf(ObligationType.class)).build();
    }
}
