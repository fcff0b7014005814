package org.kinlink.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.support.KinlinkExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sending, reading, receipts and review over the real API and the real Redis. */
class MessagingApiTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  private Gateway gateway;
  private MessagingFixture f;

  @BeforeEach
  void fixture() {
    gateway = kinlink.gateway();
    gateway.services().messaging().randomHolds().setShare(0);
    f = new MessagingFixture(gateway, kinlink.client());
  }

  @Test
  void permittedMessageReachesTheCarerAndIsAuditedWithoutItsBody() {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", null);

    JsonObject sent = f.sent(mother, contact, "Hello Mum, Leo scored a goal today");
    assertEquals("SENT", sent.getString("status"));
    assertEquals("PERMIT", sent.getJsonObject("decision").getString("effect"));

    JsonObject convs = f.conversations(carer);
    JsonObject conv = convs.getJsonArray("items").getJsonObject(0);
    assertEquals(contact, conv.getString("contact_id"));
    assertEquals("Test Prisoner", conv.getJsonObject("with").getString("name"));
    assertEquals(1, conv.getInteger("unread"));

    List<JsonObject> seen = f.items(carer, contact);
    assertEquals(1, seen.size());
    assertEquals("Hello Mum, Leo scored a goal today", seen.get(0).getString("body"));
    assertFalse(seen.get(0).getBoolean("mine"));

    // the carer's fetch is the delivery receipt; her read receipt follows
    assertEquals("DELIVERED", f.items(mother, contact).get(0).getString("status"));
    HttpResponse<Buffer> read = AuthFixture.post(f.client, "/api/v1/messages/" + sent.getString("id") + "/read", carer.token(),
        new JsonObject());
    assertEquals(200, read.statusCode(), read.bodyAsString());
    assertEquals("READ", f.items(mother, contact).get(0).getString("status"));
    assertEquals(0, f.conversations(carer).getJsonArray("items").getJsonObject(0).getInteger("unread"));

    List<JsonObject> audited = f.audit("message.send");
    assertEquals(1, audited.size());
    assertEquals("DELIVERED", audited.get(0).getString("outcome"));
    assertFalse(audited.get(0).encode().contains("scored a goal"), "the audit never holds a body");
    // appended by the sender's node itself, which took it out of the outbox: no sweeper appends it again
    assertEquals(0L, org.kinlink.gateway.Gateway.await(gateway.services().redis().<Long>call(c -> c.hlen(
        org.kinlink.gateway.redis.Keys.conversationAuditOutbox(contact)))));

    // operators see how long the send's steps took, on the operations listener's /metrics
    String metrics = gateway.services().metrics().scrape();
    for (String stage : List.of("reads", "audit", "store")) {
      assertTrue(metrics.contains("kinlink_messages_send_stage_seconds_count{stage=\"" + stage + "\"}"), stage);
    }
  }

  @Test
  void theSameClientIdNeverMakesASecondMessage() {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", null);
    HttpResponse<Buffer> first = f.send(mother, contact, "retry-1", "Are you there?");
    HttpResponse<Buffer> again = f.send(mother, contact, "retry-1", "Are you there?");
    assertEquals(201, first.statusCode(), first.bodyAsString());
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertEquals(first.bodyAsJsonObject().getString("id"), again.bodyAsJsonObject().getString("id"));
    assertEquals(1, f.items(carer, contact).size());
    assertEquals(1, f.audit("message.send").size());
  }

  @Test
  void aMessageNamingTheSchoolIsHeldUntilSecurityReleasesIt() {
    var mother = f.mother();
    var school = f.person(PersonKind.SCHOOL);
    String contact = f.contact(mother.id(), school.id(), "SCHOOL", MessagingFixture.sensitive("Oakfield Primary"));
    String body = "Is she happy at Oakfield Primary?";
    JsonObject sent = f.sent(mother, contact, body);
    assertEquals("HELD", sent.getString("status"));
    assertEquals(MessageViews.BEING_CHECKED, sent.getJsonObject("message").getString("status_text"));
    assertFalse(sent.encode().contains("SENSITIVE_TERM"), "the sender is never told which rule held it");
    assertTrue(f.items(school, contact).isEmpty(), "the recipient sees nothing of a held message");

    String security = f.security();
    JsonObject queue = f.reviews(security);
    assertEquals(1, queue.getJsonObject("counts").getInteger("waiting"));
    JsonObject item = queue.getJsonArray("items").getJsonObject(0);
    assertEquals(sent.getString("id"), item.getString("id"));
    assertEquals("MESSAGE", item.getString("kind"));
    assertEquals(body, item.getString("body"));
    assertEquals("SENSITIVE_TERM", item.getJsonArray("rules").getJsonObject(0).getString("rule"));
    JsonObject h = item.getJsonArray("highlights").getJsonObject(0);
    assertEquals("Oakfield Primary", body.substring(h.getInteger("start"), h.getInteger("end")));
    assertNotNull(item.getJsonObject("prisoner").getString("prison_number"));

    // another establishment's security neither sees nor decides it
    MessagingFixture elsewhere = new MessagingFixture(gateway, f.client);
    String otherSecurity = elsewhere.security();
    assertTrue(elsewhere.reviews(otherSecurity).getJsonArray("items").isEmpty());
    assertEquals(404, f.decide(otherSecurity, sent.getString("id"), "RELEASE", "fine").statusCode());

    HttpResponse<Buffer> released = f.decide(security, sent.getString("id"), "RELEASE", "Mother already knows the school.");
    assertEquals(200, released.statusCode(), released.bodyAsString());
    assertEquals(body, f.items(school, contact).get(0).getString("body"));
    assertEquals("DELIVERED", f.items(mother, contact).get(0).getString("status"));
    assertEquals(409, f.decide(security, sent.getString("id"), "REJECT", "twice").statusCode());
    assertEquals("RELEASED", f.audit("message.review").get(0).getString("outcome"));
    assertTrue(f.reviews(security).getJsonArray("items").isEmpty());
  }

  @Test
  void aRejectedMessageTellsTheSenderOnlyThatItWasNotDelivered() {
    var mother = f.mother();
    var school = f.person(PersonKind.SCHOOL);
    String contact = f.contact(mother.id(), school.id(), "SCHOOL", MessagingFixture.sensitive("Oakfield Primary"));
    JsonObject sent = f.sent(mother, contact, "I will wait outside Oakfield Primary");
    String security = f.security();
    assertEquals(200, f.decide(security, sent.getString("id"), "REJECT", "Plans to approach the school.").statusCode());
    JsonObject mine = f.items(mother, contact).get(0);
    assertEquals("REJECTED", mine.getString("status"));
    assertEquals(MessageViews.NOT_DELIVERED, mine.getString("status_text"));
    assertFalse(mine.encode().contains("approach"), "security's reason is never shown to the sender");
    assertTrue(f.items(school, contact).isEmpty());
  }

  @Test
  void heldMessagesLookTheSameWhateverHeldThem() {
    var mother = f.mother();
    var school = f.person(PersonKind.SCHOOL);
    String contact = f.contact(mother.id(), school.id(), "SCHOOL", MessagingFixture.sensitive("Oakfield Primary"));
    JsonObject byTerm = f.sent(mother, contact, "Oakfield Primary");
    gateway.services().messaging().randomHolds().setShare(1);
    JsonObject byChance = f.sent(mother, contact, "Hope you are well");
    assertEquals("HELD", byChance.getString("status"));
    assertEquals(byTerm.getJsonObject("decision"), byChance.getJsonObject("decision"));
    assertEquals(byTerm.getJsonObject("message").getString("status_text"), byChance.getJsonObject("message").getString("status_text"));
    JsonObject queued = f.reviews(f.security()).getJsonArray("items").getJsonObject(1);
    assertEquals(RandomHolds.RULE, queued.getJsonArray("rules").getJsonObject(0).getString("rule"), "staff see why");
  }

  @Test
  void aDeniedMessageIsRefusedWithTheSafeReasonAndAudited() {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER",
        new JsonObject().put("limits", new JsonObject().put("messages_per_day", 1)));
    JsonObject first = f.sent(mother, contact, "one");
    assertEquals(0, first.getInteger("remaining_today"));
    HttpResponse<Buffer> second = f.send(mother, contact, "c-2", "two");
    assertEquals(403, second.statusCode(), second.bodyAsString());
    JsonObject error = second.bodyAsJsonObject().getJsonObject("error");
    assertEquals("MESSAGE_NOT_SENT", error.getString("code"));
    assertFalse(error.getString("message").isBlank());
    assertEquals("DENY", error.getJsonObject("decision").getString("effect"));
    assertEquals("LIMIT_REACHED", error.getString("reason_code"), "a stable user-safe code the kiosk and portal translate");
    assertEquals(1, f.items(carer, contact).size());
    JsonObject denied = f.audit("message.send").stream().filter(e -> "DENIED".equals(e.getString("outcome"))).findFirst().orElseThrow();
    assertTrue(denied.getJsonObject("details").getJsonArray("rules").contains("LIMIT_REACHED"));
  }

  @Test
  void aChildsMessagesReachTheAdultWhoHoldsThemUnderTheChildsName() {
    var mother = f.mother();
    var grandmother = f.person(PersonKind.CARER);
    String leo = f.child(grandmother);
    String contact = f.contact(mother.id(), leo, "CHILD", null);
    f.sent(mother, contact, "Love you Leo");
    JsonObject conv = f.conversations(grandmother).getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("contact_id").equals(contact)).findFirst().orElseThrow();
    assertEquals("Leo Test (9)", conv.getJsonObject("on_behalf_of").getString("name"));
    assertEquals("Love you Leo", f.items(grandmother, contact).get(0).getString("body"));

    f.sent(grandmother, contact, "Love you too Mum");
    JsonObject reply = f.items(mother, contact).get(1);
    assertEquals("Leo Test (9)", reply.getJsonObject("from").getString("name"));
    assertEquals("Leo Test (9)", f.conversations(mother).getJsonArray("items").getJsonObject(0).getJsonObject("with").getString("name"));
  }

  @Test
  void anInterPrisonThreadIsOneThreadDeliveredOnlyWhenBothPrisonsReleased() {
    var mother = f.mother();
    MessagingFixture send = new MessagingFixture(gateway, f.client);
    var father = send.mother();
    String ab = f.contact(mother.id(), f.linkedParent(father.id()), "PARENT", MessagingFixture.sensitive("Brook Street"));
    String ba = send.contact(father.id(), send.linkedParent(mother.id()), "PARENT", null);
    JsonObject plain = f.sent(mother, ab, "The baby smiled today");
    assertEquals("SENT", plain.getString("status"));
    assertEquals("The baby smiled today", send.items(father, ba).get(0).getString("body"));
    JsonObject reply = send.sent(father, ba, "Give her a kiss from me");
    assertEquals("Give her a kiss from me", f.items(mother, ab).get(1).getString("body"));
    assertEquals(reply.getString("id"), f.items(mother, ab).get(1).getString("id"));

    JsonObject held = f.sent(mother, ab, "We lived on Brook Street");
    assertEquals("HELD", held.getString("status"));
    String styal = f.security();
    String sendSecurity = send.security();
    assertEquals(200, f.decide(styal, held.getString("id"), "RELEASE", "ok").statusCode());
    assertEquals(2, send.items(father, ba).size(), "one release of two is not enough");
    assertEquals(200, send.decide(sendSecurity, held.getString("id"), "RELEASE", "ok").statusCode());
    assertEquals("We lived on Brook Street", send.items(father, ba).get(2).getString("body"));
  }

  @Test
  void aPrivilegedConversationIsNeverHeldOrShownToSecurity() {
    gateway.services().messaging().randomHolds().setShare(1);
    var mother = f.mother();
    var solicitor = f.person(PersonKind.LEGAL);
    String contact = f.contact(mother.id(), solicitor.id(), "LEGAL", null);
    JsonObject sent = f.sent(mother, contact, "My hearing is at 10, call 07700 900123");
    assertEquals("SENT", sent.getString("status"));
    assertEquals("My hearing is at 10, call 07700 900123", f.items(solicitor, contact).get(0).getString("body"));
    assertTrue(f.reviews(f.security()).getJsonArray("items").isEmpty());
    assertTrue(f.audit("message.send").get(0).getJsonObject("details").getBoolean("privileged"));
  }

  @Test
  void redisNeverHoldsAMessageBodyInPlaintext() {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", null);
    // letters only: a random UUID's digits can look like a phone number or a postcode and be held for review
    String secret = "plaintext-canary-" + new java.util.Random().ints(24, 'a', 'z' + 1)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append);
    assertEquals("SENT", f.sent(mother, contact, secret).getString("status"), "an ordinary message, delivered");
    var redis = gateway.services().redis();
    ScanCursor cursor = ScanCursor.INITIAL;
    int scanned = 0;
    do {
      ScanCursor from = cursor;
      KeyScanCursor<String> page = Gateway.await(redis.call(c -> c.scan(from, ScanArgs.Builder.limit(500))));
      for (String key : page.getKeys()) {
        String type = Gateway.await(redis.call(c -> c.type(key)));
        String dump = switch (type) {
          case "string" -> Gateway.await(redis.call(c -> c.get(key)));
          case "hash" -> String.valueOf(Gateway.await(redis.<Map<String, String>>call(c -> c.hgetall(key))));
          case "list" -> String.valueOf(Gateway.await(redis.<List<String>>call(c -> c.lrange(key, 0, -1))));
          case "zset" -> String.valueOf(Gateway.await(redis.<List<String>>call(c -> c.zrange(key, 0, -1))));
          case "set" -> String.valueOf(Gateway.await(redis.<java.util.Set<String>>call(c -> c.smembers(key))));
          default -> "";
        };
        assertFalse(String.valueOf(dump).contains(secret), "plaintext body in " + key);
        scanned++;
      }
      cursor = page;
    } while (!cursor.isFinished());
    assertTrue(scanned > 10);
    assertEquals(secret, f.items(carer, contact).get(0).getString("body"), "and it still opens for the recipient");
  }

  @Test
  void badRequestsAreClearAndNobodyReadsAnotherPersonsConversation() {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    var stranger = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", null);
    assertEquals("EMPTY_MESSAGE", AuthFixture.errorCode(f.send(mother, contact, "c-1", "   ")));
    assertEquals("MESSAGE_TOO_LONG", AuthFixture.errorCode(f.send(mother, contact, "c-2", "x".repeat(4001))));
    assertEquals(400, f.send(mother, contact, "bad id with spaces", "hi").statusCode());
    assertEquals(404, f.send(stranger, contact, "c-3", "hi").statusCode());
    assertEquals(404, AuthFixture.get(f.client, "/api/v1/conversations/" + contact + "/messages", stranger.token()).statusCode());
    assertEquals(404, f.send(mother, "ct-doesnotexist", "c-4", "hi").statusCode());
    assertEquals(401, AuthFixture.post(f.client, "/api/v1/conversations/" + contact + "/messages", "nope",
        new JsonObject().put("client_id", "a").put("body", "b")).statusCode());
    assertEquals(400, AuthFixture.get(f.client, "/api/v1/conversations/" + contact + "/messages?after=%%%", mother.token()).statusCode());
    assertEquals(404, AuthFixture.post(f.client, "/api/v1/messages/msg.x.y/read", carer.token(), new JsonObject()).statusCode());
    assertEquals(403, AuthFixture.get(f.client, "/api/v1/reviews", mother.token()).statusCode());
    assertEquals(400, f.decide(f.security(), "msg.a.b", "MAYBE", "x").statusCode());
    assertTrue(f.items(carer, contact).isEmpty());
  }

  @Test
  void afterACursorOnlyWhatChangedComesBackOnce() {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", null);
    f.sent(mother, contact, "first");
    JsonObject page = f.messages(carer, contact, null);
    String cursor = page.getString("next_cursor");
    f.sent(mother, contact, "second");
    f.sent(mother, contact, "third");
    JsonObject missed = f.messages(carer, contact, cursor);
    assertEquals(List.of("second", "third"), missed.getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("body")).toList());
    assertTrue(f.messages(carer, contact, missed.getString("next_cursor")).getJsonArray("items").isEmpty());
  }

  @Test
  void aSuspendedContactKeepsItsHistoryButRefusesNewMessagesWithASafeReason() {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", null);
    f.sent(mother, contact, "before the suspension");
    var staff = new org.kinlink.gateway.identity.Principal("test-admin", org.kinlink.gateway.identity.Role.ADMIN, f.auth.est, null, "test");
    Gateway.await(gateway.services().contacts().service().transition(staff, contact,
        org.kinlink.gateway.contacts.ContactsService.Transition.SUSPEND,
        new JsonObject().put("reason", "Disclosure under investigation (staff only)"), null, null));
    HttpResponse<Buffer> refused = f.send(mother, contact, "c-after", "after the suspension");
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertFalse(refused.bodyAsString().contains("Disclosure"), "the staff reason is never shown");
    assertEquals("before the suspension", f.items(carer, contact).get(0).getString("body"));
    assertEquals(1, f.items(mother, contact).size());
  }
}
