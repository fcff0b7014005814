package org.kinlink.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kinlink.policy.model.Effect;

class SmokeTest {
    @Test
    void parsesTheDomainExampleAndDecides() {
        ParseResult result = PolicyDocuments.parse(Fixtures.DOMAIN_EXAMPLE);
        assertTrue(result.isValid(), result.problems().toString());
        Decision d = Fixtures.ENGINE.decide(Fixtures.message(Fixtures.open().build(), "hello"));
        assertEquals(Effect.PERMIT, d.effect(), d.toJson(true));
        System.out.println(PolicyDocuments.toJson(result.policy().orElseThrow()));
    }
}
