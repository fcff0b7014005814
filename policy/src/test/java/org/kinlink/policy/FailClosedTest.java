package org.kinlink.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.policy.Fixtures.CARER;
import static org.kinlink.policy.Fixtures.ENGINE;
import static org.kinlink.policy.Fixtures.MONDAY_10;
import static org.kinlink.policy.Fixtures.MOTHER;
import static org.kinlink.policy.Fixtures.MOTHER_ACTS;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContactState;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Relationship;
import org.kinlink.policy.model.Usage;
import org.kinlink.policy.rules.Evaluation;
import org.kinlink.policy.rules.Findings;
import org.kinlink.policy.rules.Rule;
import org.kinlink.policy.rules.Rules;

/** The engine fails closed: unknown enforcement is DENY, a failing rule is DENY and reported, a PERMIT says why. */
class FailClosedTest {
    private static final ContactPolicy CALLS = ContactPolicy.builder().state(ContactState.APPROVED)
            .relationship(Relationship.CARER).channels(Channel.MESSAGE, Channel.VIDEO).oversight(Oversight.RECORDED).build();

    private static DecisionRequest.Builder call() {
        return DecisionRequest.builder(Action.BOOK_CALL, MONDAY_10).actor(MOTHER_ACTS).prisoner(MOTHER)
                .person(CARER, MOTHER, CALLS, Usage.NONE).call(MONDAY_10, Duration.ofMinutes(30));
    }

    @Test
    void aCallerThatDoesNotSayWhatItCanEnforceIsDenied() {
        Decision d = ENGINE.decide(call().build());
        assertEquals(Effect.DENY, d.effect());
        assertTrue(d.hasReason(Rules.OBLIGATION_UNAVAILABLE), d.toJson(true));
        assertTrue(d.obligations().isEmpty());
        // even an action that needs nothing: the caller must still say (a forgotten answer is a bug, not a PERMIT)
        Decision message = ENGINE.decide(DecisionRequest.message(MOTHER_ACTS, MONDAY_10, MOTHER, CARER, CALLS, Usage.NONE,
                "hi", null));
        assertEquals(Effect.DENY, message.effect());
        assertEquals(List.of(Rules.OBLIGATION_UNAVAILABLE), message.determinedBy());
        assertEquals(Effect.PERMIT, ENGINE.decide(call().enforceable(Fixtures.ALL).build()).effect());
    }

    @Test
    void aPermitNamesTheRulesThatDeterminedIt() {
        Decision d = ENGINE.decide(call().enforceable(Fixtures.ALL).build());
        assertEquals(Effect.PERMIT, d.effect());
        assertTrue(d.determinedBy().containsAll(List.of("STAFF_ONLY", "CONTACT_NOT_APPROVED", "CHANNEL_NOT_ALLOWED",
                "OUTSIDE_WINDOW", "LIMIT_REACHED", "NEVER_TOGETHER", "OVERSIGHT")), d.determinedBy().toString());
        assertFalse(d.determinedBy().contains("SENSITIVE_TERM"), "content rules do not apply to a call");
        assertTrue(d.toJson(true).contains("\"determined_by\""));
        assertFalse(d.toJson(false).contains("determined_by"), "rule ids stay staff-only");
        Decision denied = ENGINE.decide(call().enforceable(Fixtures.ALL).build().withContacts(List.of(
                new org.kinlink.policy.model.Contact(MOTHER.id(), CARER.id(),
                        CALLS.toBuilder().state(ContactState.SUSPENDED).build(), Usage.NONE))));
        assertEquals(List.of("CONTACT_NOT_APPROVED"), denied.determinedBy());
    }

    /** A rule with a bug: it adds a finding, then throws. */
    private static final class Broken implements Rule {
        @Override
        public String id() {
            return "BROKEN";
        }

        @Override
        public void evaluate(Evaluation facts, Findings out) {
            out.permit(id(), "half-way", "half-way", "X");
            throw new IllegalStateException("index 3 out of bounds");
        }
    }

    private static PolicyEngine withBrokenRule() {
        List<Rule> rules = new ArrayList<>(Rules.standard());
        rules.add(new Broken());
        return new PolicyEngine(rules);
    }

    @Test
    void aRuleThatThrowsDeniesAndIsReportedNotThrown() {
        Decision d = withBrokenRule().decide(call().enforceable(Fixtures.ALL).build());
        assertEquals(Effect.DENY, d.effect());
        assertEquals(1, d.errors().size());
        assertEquals("BROKEN", d.errors().get(0).rule());
        assertTrue(d.errors().get(0).message().contains("index 3 out of bounds"));
        assertTrue(d.reasons().stream().noneMatch(r -> r.staffText().equals("half-way")), "partial findings are dropped");
        assertTrue(d.toJson(true).contains("\"errors\""), d.toJson(true));
        assertFalse(d.toJson(false).contains("out of bounds"), "the user view never shows the failure");
    }

    @Provide
    Arbitrary<Generators.Shape> shapes() {
        return Generators.shapes();
    }

    @Provide
    Arbitrary<List<ContactPolicy>> policies() {
        return Generators.policies().list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 200)
    void noRequestPermitsWithoutAnEnforcementAnswerOrWithAFailingRule(@ForAll("shapes") Generators.Shape shape,
                                                                       @ForAll("policies") List<ContactPolicy> policies) {
        DecisionRequest request = Generators.request(shape, policies);
        assertEquals(Effect.DENY, ENGINE.decide(request.withEnforceable(null)).effect());
        Decision broken = withBrokenRule().decide(request);
        assertEquals(Effect.DENY, broken.effect());
        assertFalse(broken.errors().isEmpty());
        Decision standard = ENGINE.decide(request);
        assertTrue(standard.errors().isEmpty(), "the standard rules never fail: " + standard.errors());
        assertFalse(standard.determinedBy().isEmpty(), "every decision names what determined it");
    }
}
