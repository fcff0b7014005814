package org.kinlink.gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.messaging.MessagingFixture;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.support.KinlinkExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** The WebSocket hub over real sockets, with two gateway nodes on one Redis. */
class RealtimeTest {
  /** Nodes of one deployment share the master key (the same key file, or KINLINK_MASTER_KEY). */
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create().configure(RealtimeTest::sharedMasterKey);

  private static final byte[] MASTER_KEY = org.kinlink.gateway.crypto.Aead.newKey();

  private Gateway a;
  private Gateway b;
  private Vertx vertx;
  private MessagingFixture f;

  private static GatewayConfig sharedMasterKey(GatewayConfig config) {
    try {
      Path key = config.dataDir().resolve("keys").resolve("master.key");
      Files.createDirectories(key.getParent());
      Files.writeString(key, Base64.getEncoder().encodeToString(MASTER_KEY));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return config;
  }

  @BeforeEach
  void fixture() {
    List<Gateway> nodes = kinlink.nodes(2);
    a = nodes.get(0);
    b = nodes.get(1);
    vertx = kinlink.vertx();
    a.services().messaging().randomHolds().setShare(0);
    b.services().messaging().randomHolds().setShare(0);
    f = new MessagingFixture(a, kinlink.client(a));
  }

  @Test
  void aMessageSentOnOneNodeReachesTheRecipientsSocketOnTheOther() {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", null);
    try (TestSocket carerOnB = TestSocket.signedIn(vertx, b, carer.token());
        TestSocket motherOnA = TestSocket.signedIn(vertx, a, mother.token())) {
      JsonObject sent = f.sent(mother, contact, "Goodnight, sleep tight");
      JsonObject pushed = carerOnB.next("message.new").getJsonObject("message");
      assertEquals(sent.getString("id"), pushed.getString("id"));
      assertEquals("Goodnight, sleep tight", pushed.getString("body"));
      assertEquals(contact, pushed.getString("contact_id"));
      // the push was the delivery; the mother hears of it, then of the read receipt sent as a frame
      JsonObject delivered = motherOnA.next(fr -> "message.status".equals(fr.getString("type"))
          && "DELIVERED".equals(fr.getJsonObject("message").getString("status")));
      assertEquals(sent.getString("id"), delivered.getJsonObject("message").getString("id"));
      carerOnB.send(new JsonObject().put("type", "message.read").put("id", sent.getString("id")).put("ref", 7));
      assertEquals("READ", carerOnB.next(fr -> Integer.valueOf(7).equals(fr.getValue("ref"))).getString("status"));
      motherOnA.next(fr -> "message.status".equals(fr.getString("type"))
          && "READ".equals(fr.getJsonObject("message").getString("status")));
    }
  }

  /** The sending node pushes to its own sockets at once; its copy of the event coming back over Redis must not push again. */
  @Test
  void aRecipientOnTheSendingNodeGetsEachMessageOnce() {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", null);
    try (TestSocket carerOnA = TestSocket.signedIn(vertx, a, carer.token());
        TestSocket carerOnB = TestSocket.signedIn(vertx, b, carer.token())) {
      JsonObject first = f.sent(mother, contact, "First");
      JsonObject second = f.sent(mother, contact, "Second");
      for (TestSocket socket : List.of(carerOnA, carerOnB)) {
        java.util.Map<String, Integer> pushes = new java.util.HashMap<>();
        socket.next(fr -> {
          if (!"message.new".equals(fr.getString("type"))) {
            return false;
          }
          pushes.merge(fr.getJsonObject("message").getString("id"), 1, Integer::sum);
          return second.getString("id").equals(fr.getJsonObject("message").getString("id"));
        });
        assertEquals(1, pushes.getOrDefault(first.getString("id"), 0), "pushes " + pushes);
      }
      // one more after both: had the first come twice, the second copy would be here before it
      JsonObject third = f.sent(mother, contact, "Third");
      assertEquals(third.getString("id"), carerOnA.next("message.new").getJsonObject("message").getString("id"));
      assertEquals(third.getString("id"), carerOnB.next("message.new").getJsonObject("message").getString("id"));
    }
  }

  @Test
  void aMessageSentAsAFrameIsTheSameSendAsThePost() {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", null);
    try (TestSocket ws = TestSocket.signedIn(vertx, b, mother.token())) {
      JsonObject frame = new JsonObject().put("type", "message.send").put("ref", "r1").put("contact_id", contact)
          .put("client_id", "ws-1").put("body", "From the kiosk socket");
      ws.send(frame);
      JsonObject sent = ws.next(fr -> "r1".equals(fr.getValue("ref")));
      assertEquals("message.sent", sent.getString("type"));
      assertEquals("SENT", sent.getString("status"));
      ws.send(frame.copy().put("ref", "r2"));
      JsonObject again = ws.next(fr -> "r2".equals(fr.getValue("ref")));
      assertEquals(sent.getString("id"), again.getString("id"), "the same client_id never makes a second message");
      assertEquals(1, f.items(carer, contact).size());
    }
  }

  @Test
  void badFramesGetAnErrorAndTheSocketStaysOpen() {
    var mother = f.mother();
    try (TestSocket ws = TestSocket.open(vertx, a)) {
      ws.send(new JsonObject().put("type", "ping"));
      assertEquals("AUTH_REQUIRED", ws.next("error").getJsonObject("error").getString("code"));
      ws.send(new JsonObject().put("type", "auth").put("access_token", "not-a-token"));
      assertEquals("INVALID_TOKEN", ws.next("error").getJsonObject("error").getString("code"));
      ws.send(new JsonObject().put("type", "auth").put("access_token", mother.token()));
      ws.next("ready");
      ws.sendText("this is not json");
      assertEquals("BAD_FRAME", ws.next("error").getJsonObject("error").getString("code"));
      ws.send(new JsonObject().put("type", "message.send").put("contact_id", "x"));
      JsonObject invalid = ws.next("error").getJsonObject("error");
      assertEquals("BAD_FRAME", invalid.getString("code"));
      assertEquals("client_id", invalid.getString("field"), invalid.encode());
      ws.send(new JsonObject().put("type", "message.send").put("contact_id", "x").put("client_id", "c").put("body", "b".repeat(4001)));
      JsonObject tooLong = ws.next("error").getJsonObject("error");
      assertEquals("body", tooLong.getString("field"), tooLong.encode());
      assertEquals("This message.send frame has a value that is not valid in body: it must be at most 4000 characters.",
          tooLong.getString("message"));
      ws.send(new JsonObject().put("type", "message.send").put("contact_id", "x").put("client_id", "c").put("body", "b")
          .put("extra", true));
      assertEquals("BAD_FRAME", ws.next("error").getJsonObject("error").getString("code"));
      ws.send(new JsonObject().put("type", "warp.drive"));
      assertEquals("UNKNOWN_TYPE", ws.next("error").getJsonObject("error").getString("code"));
      ws.send(new JsonObject().put("type", "message.send").put("contact_id", "ct-nope").put("client_id", "c").put("body", "b"));
      JsonObject notFound = ws.next("error").getJsonObject("error");
      assertEquals("NOT_FOUND", notFound.getString("code"));
      assertEquals(404, notFound.getInteger("status"));
      ws.send(new JsonObject().put("type", "ping").put("ref", 1));
      assertEquals("pong", ws.next(fr -> Integer.valueOf(1).equals(fr.getValue("ref"))).getString("type"));
      assertFalse(ws.closed.isDone());
    }
  }

  @Test
  void aSessionEndedOnOneNodeClosesItsSocketOnTheOther() {
    var carer = f.person(PersonKind.CARER);
    try (TestSocket onB = TestSocket.signedIn(vertx, b, carer.token())) {
      assertEquals(204, AuthFixture.post(f.client, "/api/v1/auth/logout", carer.token(), new JsonObject()).statusCode());
      assertEquals(Client.REVOKED, onB.awaitClosed());
    }
  }

  @Test
  void whatAClientMissedWhileAwayComesBackOnceAfterItsCursor() {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", null);
    String cursor = f.messages(carer, contact, null).getString("next_cursor");
    f.sent(mother, contact, "while you were away 1");
    f.sent(mother, contact, "while you were away 2");
    JsonObject missed = f.messages(carer, contact, cursor);
    assertEquals(List.of("while you were away 1", "while you were away 2"), missed.getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("body")).toList());
    try (TestSocket ws = TestSocket.signedIn(vertx, b, carer.token())) {
      f.sent(mother, contact, "now you are back");
      assertEquals("now you are back", ws.next("message.new").getJsonObject("message").getString("body"));
    }
    JsonObject rest = f.messages(carer, contact, missed.getString("next_cursor"));
    assertEquals(List.of("now you are back"), rest.getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("body")).toList());
  }

  @Test
  void aContactChangeIsPushedToBothSidesWithItsStateOnly() {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", null);
    try (TestSocket motherOnA = TestSocket.signedIn(vertx, a, mother.token());
        TestSocket carerOnB = TestSocket.signedIn(vertx, b, carer.token())) {
      var staff = new org.kinlink.gateway.identity.Principal("test-admin", org.kinlink.gateway.identity.Role.ADMIN, f.auth.est, null, "t");
      Gateway.await(a.services().contacts().service().transition(staff, contact,
          org.kinlink.gateway.contacts.ContactsService.Transition.SUSPEND,
          new JsonObject().put("reason", "Staff-only reason"), null, null));
      for (TestSocket ws : java.util.List.of(motherOnA, carerOnB)) {
        // the approval that made the contact may still be on its way: wait for the suspension
        JsonObject changed = ws.next(fr -> "contact.changed".equals(fr.getString("type"))
            && contact.equals(fr.getString("contact_id")) && "SUSPENDED".equals(fr.getString("state")));
        assertEquals(contact, changed.getString("contact_id"));
        assertEquals("SUSPENDED", changed.getString("state"));
        assertFalse(changed.encode().contains("Staff-only"));
      }
    }
  }
}
