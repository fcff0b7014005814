package org.kinlink.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
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

  @Test
  void anAdminSetsTheirEstablishmentsRetentionAuditedAndTheSweepFollowsEachEstablishmentsTime() {
    Gateway gateway = kinlink.gateway();
    gateway.services().messaging().randomHolds().setShare(0);
    MessagingFixture here = new MessagingFixture(gateway, kinlink.client());
    MessagingFixture there = new MessagingFixture(gateway, kinlink.client());
    String admin = here.auth.staffToken(here.client, org.kinlink.gateway.identity.Role.ADMIN);
    String path = "/api/v1/establishments/" + here.auth.est + "/messaging-settings";

    var before = org.kinlink.gateway.auth.AuthFixture.get(here.client, path, admin);
    assertEquals(200, before.statusCode(), before.bodyAsString());
    assertEquals(90, before.bodyAsJsonObject().getInteger("retention_days"), "90 days unless the establishment says otherwise");
    var tooShort = here.put(path, admin, new JsonObject().put("retention_days", 2));
    assertEquals(400, tooShort.statusCode());
    assertEquals("INVALID_RETENTION", tooShort.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertTrue(tooShort.bodyAsJsonObject().getJsonObject("error").getString("message").contains("from 7 to 3650 days"));
    assertEquals(403, here.put(path, here.security(), new JsonObject().put("retention_days", 30)).statusCode(),
        "security reads the setting but an administrator changes it");
    String otherAdmin = there.auth.staffToken(there.client, org.kinlink.gateway.identity.Role.ADMIN);
    assertEquals(404, there.put(path, otherAdmin, new JsonObject().put("retention_days", 30)).statusCode(),
        "another establishment's setting answers as if it did not exist");
    var set = here.put(path, admin, new JsonObject().put("retention_days", 30));
    assertEquals(200, set.statusCode(), set.bodyAsString());
    assertEquals(30, set.bodyAsJsonObject().getInteger("retention_days"));
    List<JsonObject> changes = here.audit("messaging.settings.change");
    assertEquals(1, changes.size());
    assertEquals(90, changes.get(0).getJsonObject("details").getInteger("from"));
    assertEquals(30, changes.get(0).getJsonObject("details").getInteger("to"));

    var mother = here.mother();
    var carer = here.person(PersonKind.CARER);
    JsonObject short1 = here.sent(mother, here.contact(mother.id(), carer.id(), "CARER", null), "kept for 30 days");
    var otherMother = there.mother();
    var otherCarer = there.person(PersonKind.CARER);
    JsonObject long1 = there.sent(otherMother, there.contact(otherMother.id(), otherCarer.id(), "CARER", null), "kept for 90 days");

    Retention retention = gateway.services().messaging().retention();
    kinlink.clock().advance(Duration.ofDays(29));
    assertEquals(0, Gateway.await(retention.sweep()), "nothing before its establishment's time");
    kinlink.clock().advance(Duration.ofDays(2));
    assertEquals(1, Gateway.await(retention.sweep()));
    assertFalse(stored(gateway, short1.getString("id")).containsKey("body"), "30 days here");
    assertTrue(stored(gateway, long1.getString("id")).containsKey("body"), "90 days there");
    assertEquals(30, here.audit("message.retention.delete").stream()
        .filter(e -> e.getJsonObject("details").getString("message_id").equals(short1.getString("id"))).findFirst()
        .orElseThrow().getJsonObject("details").getInteger("retention_days"));

    // the other establishment lengthens its time: what is stored is kept for the new time
    String thereAdmin = there.auth.staffToken(there.client, org.kinlink.gateway.identity.Role.ADMIN); // the clock moved on
    assertEquals(200, there.put("/api/v1/establishments/" + there.auth.est + "/messaging-settings", thereAdmin,
        new JsonObject().put("retention_days", 120)).statusCode());
    kinlink.clock().advance(Duration.ofDays(60)); // day 91
    Gateway.await(retention.sweep());
    assertTrue(stored(gateway, long1.getString("id")).containsKey("body"), "kept past 90 days: its establishment keeps 120");
    kinlink.clock().advance(Duration.ofDays(30)); // day 121
    Gateway.await(retention.sweep());
    assertFalse(stored(gateway, long1.getString("id")).containsKey("body"), "deleted after 120 days");
  }

  @Test
  void aThreadBetweenTwoPrisonsIsKeptForTheLongerOfTheirTimesAndItsPhotoGoesWithIt() {
    Gateway gateway = kinlink.gateway();
    gateway.services().messaging().randomHolds().setShare(0);
    MessagingFixture styal = new MessagingFixture(gateway, kinlink.client());
    MessagingFixture send = new MessagingFixture(gateway, kinlink.client());
    var mother = styal.mother();
    var father = send.mother();
    JsonObject photos = new JsonObject().put("channels", new io.vertx.core.json.JsonArray(List.of("MESSAGE", "PHOTO")))
        .put("content", new JsonObject().put("review_photos", false));
    String ab = styal.contact(mother.id(), styal.linkedParent(father.id()), "PARENT", photos);
    send.contact(father.id(), send.linkedParent(mother.id()), "PARENT", photos);
    String admin = styal.auth.staffToken(styal.client, org.kinlink.gateway.identity.Role.ADMIN);
    assertEquals(200, styal.put("/api/v1/establishments/" + styal.auth.est + "/messaging-settings", admin,
        new JsonObject().put("retention_days", 30)).statusCode());
    JsonObject note = styal.sent(mother, ab, "The baby smiled today");
    var photo = Gateway.await(styal.client.post("/api/v1/conversations/" + ab + "/photos?client_id=p-1")
        .putHeader("Authorization", "Bearer " + mother.token()).putHeader("Content-Type", "application/octet-stream")
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer(tinyPng())));
    assertEquals(201, photo.statusCode(), photo.bodyAsString());
    String photoId = photo.bodyAsJsonObject().getString("id");
    String conv = MessagingService.parse(photoId)[0];

    Retention retention = gateway.services().messaging().retention();
    kinlink.clock().advance(Duration.ofDays(31));
    assertEquals(0, Gateway.await(retention.sweep()), "Styal's 30 days are not enough: the other prison keeps 90");
    kinlink.clock().advance(Duration.ofDays(60));
    assertEquals(2, Gateway.await(retention.sweep()));
    assertFalse(stored(gateway, note.getString("id")).containsKey("body"));
    assertEquals(0L, Gateway.await(gateway.services().redis().<Long>call(c -> c.hlen(Keys.conversationPhotos(conv)))),
        "the photo and its thumbnail are deleted with the message");
  }

  private static byte[] tinyPng() {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      javax.imageio.ImageIO.write(img, "png", out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static JsonObject stored(Gateway gateway, String messageId) {
    String[] parts = MessagingService.parse(messageId);
    return new JsonObject(Gateway.await(gateway.services().redis().<String>call(c -> c.hget(
        Keys.conversationMessages(parts[0]), parts[1]))));
  }
}
