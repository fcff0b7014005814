package org.kinlink.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.support.KinlinkExtension;

/** Bodies are deleted after their retention time; the audit record stays; a security hold keeps them. */
class MessagingRetentionTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void bodiesGoAfterNinetyDaysUnlessSecurityHoldsTheConversation() {
    Gateway gateway = kinlink.gateway();
    gateway.services().messaging().randomHolds().setShare(0);
    MessagingFixture f = new MessagingFixture(gateway, kinlink.client());
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    var school = f.person(PersonKind.SCHOOL);
    String kept = f.contact(mother.id(), carer.id(), "CARER", null);
    String expiring = f.contact(mother.id(), school.id(), "SCHOOL", null);
    JsonObject toCarer = f.sent(mother, kept, "keep this one");
    JsonObject toSchool = f.sent(mother, expiring, "this one goes");
    String security = f.security();
    var hold = f.put("/api/v1/conversations/" + kept + "/hold", security,
        new JsonObject().put("held", true).put("reason", "Investigation 2026-114"));
    assertEquals(200, hold.statusCode(), hold.bodyAsString());
    assertEquals(403, f.put("/api/v1/conversations/" + kept + "/hold", mother.token(),
        new JsonObject().put("held", false).put("reason", "mine")).statusCode());
    MessagingFixture elsewhere = new MessagingFixture(gateway, f.client);
    assertEquals(404, f.put("/api/v1/conversations/" + kept + "/hold", elsewhere.security(),
        new JsonObject().put("held", false).put("reason", "not ours")).statusCode());

    Retention retention = gateway.services().messaging().retention();
    assertEquals(0, Gateway.await(retention.sweep()), "nothing is due yet");
    kinlink.clock().advance(Duration.ofDays(91));
    assertEquals(1, Gateway.await(retention.sweep()));

    JsonObject gone = stored(gateway, toSchool.getString("id"));
    assertFalse(gone.containsKey("body"), "the body is deleted");
    assertTrue(gone.containsKey("body_deleted_at"));
    assertEquals("msg", gone.getString("id").substring(0, 3), "the record of the message stays");
    assertTrue(stored(gateway, toCarer.getString("id")).containsKey("body"), "a held conversation keeps its bodies");
    assertEquals(1, f.audit("message.retention.delete").size());
    assertEquals(1, f.audit("message.retention.hold").size());
    assertEquals(1, f.audit("message.send").stream().filter(e -> e.getJsonObject("details")
        .getString("message_id").equals(toSchool.getString("id"))).count(), "what happened is still on record");
  }

  private static JsonObject stored(Gateway gateway, String messageId) {
    String[] parts = MessagingService.parse(messageId);
    return new JsonObject(Gateway.await(gateway.services().redis().<String>call(c -> c.hget(
        Keys.conversationMessages(parts[0]), parts[1]))));
  }
}
