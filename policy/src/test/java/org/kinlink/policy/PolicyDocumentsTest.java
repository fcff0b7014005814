package org.kinlink.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContactState;
import org.kinlink.policy.model.CourtOrder;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.OrderEffect;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Relationship;
import org.kinlink.policy.model.SupervisorRole;
import org.kinlink.policy.model.TimeWindow;
import org.kinlink.policy.rules.Rules;

class PolicyDocumentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode example() {
        try {
            return (ObjectNode) JSON.readTree(Fixtures.DOMAIN_EXAMPLE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ParseResult parse(Consumer<ObjectNode> edit) {
        ObjectNode doc = example();
        edit.accept(doc);
        return PolicyDocuments.parse(doc.toString());
    }

    @Test
    void theDomainExampleParsesIntoTheModel() {
        ContactPolicy p = PolicyDocuments.parse(Fixtures.DOMAIN_EXAMPLE).policy().orElseThrow();
        assertEquals(ContactState.APPROVED, p.state());
        assertEquals(Relationship.CHILD, p.relationship());
        assertEquals(Set.of(Channel.MESSAGE, Channel.VIDEO, Channel.PHOTO), p.channels());
        assertEquals(Set.of(SupervisorRole.SCHOOL, SupervisorRole.CARER, SupervisorRole.SOCIAL_WORKER),
                p.supervisor().anyOf());
        assertEquals(new TimeWindow(Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
                DayOfWeek.THURSDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(15, 0)), p.windows().get(0));
        assertEquals(30, p.limits().callMinutes());
        assertEquals(LocalDate.of(2027, 1, 5), p.stepUp().get(1).from());
        assertEquals(List.of("person:p-father-01"), p.neverWith());
        assertEquals(new CourtOrder("NON_MOLESTATION", OrderEffect.NO_CONTACT, null, LocalDate.of(2027, 6, 30),
                "FC-2026-118"), p.courtOrders().get(0));
        assertEquals(List.of("Oakfield Primary", "Brook Street"), p.content().sensitiveTerms());
        assertTrue(p.content().reviewPhotos());
    }

    @Test
    void serialisationRoundTrips() {
        ContactPolicy p = PolicyDocuments.parse(Fixtures.DOMAIN_EXAMPLE).policy().orElseThrow();
        ContactPolicy suspended = p.toBuilder().suspendedUntil(Fixtures.MONDAY_10)
                .courtOrders(new CourtOrder("PROHIBITED_STEPS", OrderEffect.NO_PHOTOS, LocalDate.of(2026, 1, 1),
                        LocalDate.of(2026, 2, 1), "FC-1")).build();
        for (ContactPolicy policy : List.of(p, suspended)) {
            ParseResult again = PolicyDocuments.parse(PolicyDocuments.toJson(policy));
            assertEquals(policy, again.policy().orElseThrow(), again.problems().toString());
        }
    }

    @Test
    void snakeCaseFieldsAreWritten() {
        String json = PolicyDocuments.toJson(PolicyDocuments.parse(Fixtures.DOMAIN_EXAMPLE).policy().orElseThrow());
        for (String field : List.of("\"suspended_until\"", "\"any_of\"", "\"calls_per_week\"", "\"call_minutes\"",
                "\"messages_per_day\"", "\"step_up\"", "\"never_with\"", "\"court_orders\"", "\"review_all\"",
                "\"review_photos\"", "\"sensitive_terms\"", "\"blocked_terms\"")) {
            assertTrue(json.contains(field), field);
        }
    }

    @Test
    void aDateSuspendsThroughTheEndOfThatDayInLondon() {
        ContactPolicy p = parse(d -> d.put("suspended_until", "2026-05-04")).policy().orElseThrow();
        assertEquals(Fixtures.london("2026-05-05T00:00"), p.suspendedUntil());
    }

    @Test
    void minimalDocumentGetsSafeDefaults() {
        ContactPolicy p = PolicyDocuments.parse("""
                {"state": "APPROVED", "relationship": "CARER", "channels": ["MESSAGE"], "oversight": "RECORDED"}
                """).policy().orElseThrow();
        assertTrue(p.content().reviewPhotos(), "photos are reviewed unless the document says otherwise");
        assertTrue(p.windows().isEmpty());
        ContactPolicy legal = PolicyDocuments.parse("""
                {"state": "APPROVED", "relationship": "LEGAL", "channels": ["MESSAGE"], "oversight": "PRIVILEGED"}
                """).policy().orElseThrow();
        assertFalse(legal.content().reviewPhotos(), "privileged correspondence is never reviewed");
    }

    static Stream<Arguments> invalidDocuments() {
        return Stream.of(
                bad("unknown channel", d -> d.putArray("channels").add("MESSAGE").add("SMS"),
                        "channels[1]", "accepted: MESSAGE, VIDEO, PHOTO"),
                bad("window from after to", d -> window(d).put("from", "16:00"), "windows[0].from", "before \"to\""),
                bad("window from equals to", d -> window(d).put("to", "09:00"), "windows[0].from", "before \"to\""),
                bad("step-up dates out of order", d -> stage(d, 1).put("from", "2026-11-01"), "step_up[1].from",
                        "after step_up[0].from"),
                bad("SUPERVISED without supervisor", d -> {
                    d.put("oversight", "SUPERVISED");
                    d.remove("supervisor");
                }, "supervisor", "required when oversight is SUPERVISED"),
                bad("supervisor with no roles", d -> ((ObjectNode) d.get("supervisor")).putArray("any_of"),
                        "supervisor.any_of", "at least one"),
                bad("unknown supervisor role", d -> ((ObjectNode) d.get("supervisor")).putArray("any_of").add("FATHER"),
                        "supervisor.any_of[0]", "accepted: CARER, SCHOOL"),
                bad("negative limit", d -> ((ObjectNode) d.get("limits")).put("calls_per_week", -1),
                        "limits.calls_per_week", "whole number from 0"),
                bad("limit as a string", d -> ((ObjectNode) d.get("limits")).put("call_minutes", "30"),
                        "limits.call_minutes", "whole number"),
                bad("fractional limit", d -> ((ObjectNode) d.get("limits")).put("messages_per_day", 2.5),
                        "limits.messages_per_day", "whole number"),
                bad("order without an end date", d -> order(d).remove("until"), "court_orders[0].until", "required"),
                bad("order starting after it ends", d -> order(d).put("from", "2027-07-01"), "court_orders[0].from",
                        "must not be after"),
                bad("unknown order effect", d -> order(d).put("effect", "SOMETIMES"), "court_orders[0].effect",
                        "accepted: NO_CONTACT"),
                bad("order without ref", d -> order(d).remove("ref"), "court_orders[0].ref", "required"),
                bad("unknown field", d -> d.put("colour", "blue"), "colour", "unknown field"),
                bad("unknown nested field", d -> window(d).put("start", "09:00"), "windows[0].start", "unknown field"),
                bad("missing state", d -> d.remove("state"), "state", "required; accepted: PENDING, APPROVED"),
                bad("unknown state", d -> d.put("state", "approved"), "state", "accepted: PENDING, APPROVED"),
                bad("state as a number", d -> d.put("state", 1), "state", "unknown value 1"),
                bad("channels not an array", d -> d.put("channels", "MESSAGE"), "channels", "an array"),
                bad("unknown day", d -> ((ArrayNode) window(d).get("days")).set(0, "MONDAY"), "windows[0].days[0]",
                        "accepted: MON, TUE"),
                bad("bad time", d -> window(d).put("from", "9am"), "windows[0].from", "HH:MM"),
                bad("hour 24", d -> window(d).put("to", "24:00"), "windows[0].to", "HH:MM"),
                bad("bad date", d -> stage(d, 0).put("from", "2026-13-01"), "step_up[0].from", "YYYY-MM-DD"),
                bad("stage channel not in policy", d -> {
                    d.putArray("channels").add("MESSAGE").add("PHOTO");
                }, "step_up[1].channels", "VIDEO is not in the policy's channels"),
                bad("stage limit above policy", d -> ((ObjectNode) stage(d, 1).get("limits")).put("call_minutes", 45),
                        "step_up[1].limits.call_minutes", "must not exceed"),
                bad("empty stage", d -> {
                    stage(d, 0).remove("channels");
                    stage(d, 0).remove("limits");
                }, "step_up[0]", "must set"),
                bad("legal contact not privileged", d -> {
                    d.put("relationship", "LEGAL");
                }, "oversight", "must be PRIVILEGED"),
                bad("privileged child contact", d -> d.put("oversight", "PRIVILEGED"), "oversight",
                        "for legal and court contacts"),
                bad("privileged contact with review", d -> {
                    d.put("relationship", "LEGAL");
                    d.put("oversight", "PRIVILEGED");
                    ((ObjectNode) d.get("content")).put("review_photos", false).putArray("sensitive_terms");
                    ((ObjectNode) d.get("content")).put("review_all", true);
                }, "content.review_all", "never reviewed"),
                bad("never_with not an id", d -> d.putArray("never_with").add("the father"), "never_with[0]",
                        "a prison number"),
                bad("empty sensitive term", d -> ((ArrayNode) d.get("content").get("sensitive_terms")).add(""),
                        "content.sensitive_terms[2]", "non-empty"),
                bad("term of punctuation", d -> ((ArrayNode) d.get("content").get("blocked_terms")).add("!!!"),
                        "content.blocked_terms[0]", "at least 2 letters"),
                bad("review_all not a boolean", d -> ((ObjectNode) d.get("content")).put("review_all", "yes"),
                        "content.review_all", "true or false"),
                bad("bad suspended_until", d -> d.put("suspended_until", "next week"), "suspended_until", "ISO-8601"));
    }

    private static Arguments bad(String name, Consumer<ObjectNode> edit, String field, String fragment) {
        return Arguments.of(name, edit, field, fragment);
    }

    private static ObjectNode window(ObjectNode d) {
        return (ObjectNode) d.get("windows").get(0);
    }

    private static ObjectNode stage(ObjectNode d, int i) {
        return (ObjectNode) d.get("step_up").get(i);
    }

    private static ObjectNode order(ObjectNode d) {
        return (ObjectNode) d.get("court_orders").get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDocuments")
    void rejectsWithTheFieldPathAndWhatIsAccepted(String name, Consumer<ObjectNode> edit, String field, String fragment) {
        ParseResult result = parse(edit);
        assertFalse(result.isValid(), name);
        assertEquals(1, result.problems().size(), result.problems().toString());
        Problem problem = result.problems().get(0);
        assertEquals(field, problem.field(), problem.toString());
        assertTrue(problem.message().contains(fragment), problem.toString());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "  ", "[]", "42", "{", "{\"state\": \"APPROVED\",}",
            "{\"state\": \"APPROVED\", \"state\": \"APPROVED\"}", "{} {}"})
    void rejectsWhatIsNotAJsonObject(String json) {
        ParseResult result = PolicyDocuments.parse(json);
        assertFalse(result.isValid());
        assertEquals("", result.problems().get(0).field());
    }

    @Test
    void reportsEveryProblemOnce() {
        ParseResult result = parse(d -> {
            d.putArray("channels").add("MESSAGE").add("VIDEO").add("PHOTO").add("FAX");
            window(d).put("from", "16:00");
            ((ObjectNode) d.get("limits")).put("call_minutes", -5);
            order(d).remove("until");
            d.put("mood", "good");
            stage(d, 1).put("from", "2026-01-01");
        });
        assertEquals(List.of("channels[3]", "windows[0].from", "limits.call_minutes", "step_up[1].from",
                        "court_orders[0].until", "mood").stream().sorted().toList(),
                result.problems().stream().map(Problem::field).sorted().toList(), result.problems().toString());
    }

    @Test
    void anEmptyObjectNamesEveryRequiredField() {
        assertEquals(List.of("state", "relationship", "channels", "oversight"),
                PolicyDocuments.parse("{}").problems().stream().map(Problem::field).toList());
    }

    @Test
    void validatesPoliciesBuiltInCode() {
        ContactPolicy bad = Fixtures.open().oversight(Oversight.SUPERVISED)
                .windows(Fixtures.weekdays("15:00", "09:00"))
                .courtOrders(new CourtOrder("NON_MOLESTATION", OrderEffect.NO_CONTACT, null, null, "FC-1")).build();
        assertEquals(List.of("supervisor", "windows[0].from", "court_orders[0].until"),
                PolicyDocuments.validate(bad).stream().map(Problem::field).toList());
        assertEquals(List.of(), PolicyDocuments.validate(Fixtures.open().build()));
    }

    @Test
    void theEngineDeniesAnInvalidPolicyRatherThanEvaluateIt() {
        ContactPolicy bad = Fixtures.open().oversight(Oversight.SUPERVISED).build();
        Decision d = Fixtures.ENGINE.decide(Fixtures.message(bad, "hello"));
        assertEquals(Effect.DENY, d.effect());
        assertTrue(d.hasReason(Rules.INVALID_POLICY), d.toJson(true));
    }
}
