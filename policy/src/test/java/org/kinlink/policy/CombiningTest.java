package org.kinlink.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.policy.Fixtures.CARER;
import static org.kinlink.policy.Fixtures.CHILD;
import static org.kinlink.policy.Fixtures.MONDAY_10;
import static org.kinlink.policy.Fixtures.MOTHER;
import static org.kinlink.policy.Fixtures.MOTHER_ACTS;
import static org.kinlink.policy.Fixtures.SCHOOL;
import static org.kinlink.policy.Fixtures.open;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.Limits;
import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.ObligationType;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Reason;
import org.kinlink.policy.model.SupervisorRole;
import org.kinlink.policy.model.Usage;

/** How findings of several rules and several contacts combine: the strictest wins. */
class CombiningTest {
    private final DecisionCombiner combiner = new DecisionCombiner();
    private static final Set<ObligationType> ALL = EnumSet.allOf(ObligationType.class);

    private static Reason reason(String rule, Effect effect) {
        return new Reason(rule, effect, "staff " + rule, "user " + rule, "CODE", List.of());
    }

    @Test
    void theEarliestEndByWins() {
        Instant t = MONDAY_10;
        Decision d = combiner.combine(List.of(), List.of(Obligation.endBy(t.plusSeconds(600)), Obligation.endBy(t),
                Obligation.endBy(t.plusSeconds(60))), ALL);
        assertEquals(List.of(Obligation.endBy(t)), d.obligations());
    }

    @Test
    void everySupervisorRequirementMustBeMetButImpliedOnesAreDropped() {
        Obligation schoolOrCarer = Obligation.supervisorPresent(Set.of(SupervisorRole.SCHOOL, SupervisorRole.CARER));
        Obligation carer = Obligation.supervisorPresent(Set.of(SupervisorRole.CARER));
        Obligation socialWorker = Obligation.supervisorPresent(Set.of(SupervisorRole.SOCIAL_WORKER));
        assertEquals(List.of(carer), combiner.combine(List.of(), List.of(schoolOrCarer, carer, carer), ALL).obligations(),
                "a carer meets both; the wider requirement adds nothing");
        assertEquals(List.of(carer, socialWorker),
                combiner.combine(List.of(), List.of(socialWorker, carer), ALL).obligations(),
                "disjoint requirements both stand: never a union that one wrong person could meet");
    }

    @Test
    void recordingAndPrivilegeCannotBothHold() {
        Decision d = combiner.combine(List.of(), List.of(Obligation.recordCall(), Obligation.noRecording()), ALL);
        assertEquals(Effect.DENY, d.effect());
        assertTrue(d.hasReason("PRIVILEGED"));
    }

    @Test
    void anUnenforceableObligationFailsClosedAndADenyCarriesNoObligations() {
        Decision d = combiner.combine(List.of(reason("OVERSIGHT", Effect.PERMIT)), List.of(Obligation.monitor()),
                EnumSet.complementOf(EnumSet.of(ObligationType.MONITOR)));
        assertEquals(Effect.DENY, d.effect());
        assertTrue(d.hasReason("OBLIGATION_UNAVAILABLE"));
        assertEquals(List.of(), d.obligations());
    }

    @Test
    void denyBeatsReviewBeatsPermit() {
        assertEquals(Effect.REVIEW, combiner.combine(List.of(reason("A", Effect.PERMIT), reason("B", Effect.REVIEW)),
                List.of(), ALL).effect());
        assertEquals(Effect.DENY, combiner.combine(List.of(reason("A", Effect.REVIEW), reason("B", Effect.DENY),
                reason("C", Effect.PERMIT)), List.of(), ALL).effect());
        assertEquals(Effect.PERMIT, combiner.combine(List.of(), List.of(), ALL).effect());
    }

    @Test
    void aMultiPartyCallTakesEveryContactsStrictestObligations() {
        ContactPolicy carer = open().oversight(Oversight.RECORDED).limits(Limits.of(null, 60, null)).build();
        ContactPolicy child = open().oversight(Oversight.SUPERVISED).supervisor(SupervisorRole.CARER, SupervisorRole.SCHOOL)
                .limits(Limits.of(null, 20, null)).build();
        ContactPolicy school = open().oversight(Oversight.SUPERVISED).supervisor(SupervisorRole.SCHOOL).build();
        ContactPolicy grandma = open().oversight(Oversight.MONITORED).limits(Limits.of(null, 40, null)).build();
        DecisionRequest fourParty = Fixtures.request(Action.BOOK_CALL, MONDAY_10).actor(MOTHER_ACTS).prisoner(MOTHER)
                .person(CARER, MOTHER, carer, Usage.NONE).person(CHILD, MOTHER, child, Usage.NONE)
                .person(SCHOOL, MOTHER, school, Usage.NONE)
                .person(org.kinlink.policy.model.Person.adult("person:p-gran"), MOTHER, grandma, Usage.NONE)
                .call(MONDAY_10, Duration.ofMinutes(20)).build();
        Decision d = Fixtures.ENGINE.decide(fourParty);
        assertEquals(Effect.PERMIT, d.effect(), d.toJson(true));
        assertEquals(List.of(Obligation.recordCall(), Obligation.monitor(),
                Obligation.supervisorPresent(Set.of(SupervisorRole.SCHOOL)),
                Obligation.endBy(MONDAY_10.plus(Duration.ofMinutes(20)))), d.obligations());
    }
}
