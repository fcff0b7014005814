package org.kinlink.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Actor;
import org.kinlink.policy.model.Clearance;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Prisoner;
import org.kinlink.policy.model.Relationship;
import org.kinlink.policy.model.SupervisorRole;
import org.kinlink.policy.model.Usage;

/** The docs/api.md decision shape, for staff and for everyone else. */
class DecisionJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Prisoner SUPERVISED_MOTHER = new Prisoner("prisoner:A1234BC", "STY", Clearance.SUPERVISED);
    private static final ContactPolicy CHILD = Fixtures.open().relationship(Relationship.CHILD)
            .oversight(Oversight.SUPERVISED).supervisor(SupervisorRole.CARER)
            .windows(Fixtures.weekdays("09:00", "15:00")).build();

    private static Decision supervisedCall() {
        return Fixtures.ENGINE.decide(Fixtures.request(Action.BOOK_CALL, Fixtures.MONDAY_10)
                .actor(Actor.prisoner(SUPERVISED_MOTHER)).prisoner(SUPERVISED_MOTHER)
                .person(Fixtures.CHILD, SUPERVISED_MOTHER, CHILD, Usage.NONE).call(Fixtures.MONDAY_10, Duration.ofMinutes(30))
                .build());
    }

    @Test
    void userViewHasTheApiShapeAndNothingMore() throws Exception {
        JsonNode user = JSON.readTree(supervisedCall().toJson(false));
        assertEquals("PERMIT", user.get("effect").asText());
        assertEquals(Set.of("effect", "reasons", "obligations"), fieldNames(user));
        for (JsonNode reason : user.get("reasons")) {
            assertEquals(Set.of("rule", "text"), fieldNames(reason));
        }
        JsonNode obligations = user.get("obligations");
        assertEquals("RECORD", obligations.get(0).get("type").asText());
        assertEquals("MONITOR", obligations.get(1).get("type").asText());
        // The contact's supervisor (a carer) and the clearance's (a professional) must both be present.
        assertEquals("[\"CARER\"]", obligations.get(2).get("roles").toString());
        assertEquals("[\"SCHOOL\",\"SOCIAL_WORKER\",\"FAMILY_WORKER\"]", obligations.get(3).get("roles").toString());
        assertEquals("END_BY", obligations.get(4).get("type").asText());
        assertEquals("2026-05-04T15:00:00+01:00", obligations.get(4).get("at").asText());
    }

    @Test
    void staffViewNamesRulesEffectsAndMatches() throws Exception {
        ContactPolicy p = Fixtures.open().content(Fixtures.terms(List.of("Oakfield Primary"), List.of())).build();
        Decision d = Fixtures.ENGINE.decide(Fixtures.message(p, "at Oakfield Primary"));
        JsonNode staff = JSON.readTree(d.toJson(true));
        JsonNode reason = staff.get("reasons").get(0);
        assertEquals("SENSITIVE_TERM", reason.get("rule").asText());
        assertEquals("REVIEW", reason.get("effect").asText());
        assertTrue(reason.get("text").asText().contains("Oakfield Primary"));
        assertEquals(3, reason.get("matches").get(0).get("start").asInt());
        assertEquals(19, reason.get("matches").get(0).get("end").asInt());
        JsonNode user = JSON.readTree(d.toJson(false));
        assertEquals("CONTENT_CHECK", user.get("reasons").get(0).get("rule").asText());
        assertFalse(user.toString().contains("Oakfield"));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
