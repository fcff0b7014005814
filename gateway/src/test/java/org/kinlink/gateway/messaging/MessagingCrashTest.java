package org.kinlink.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.crypto.MasterKey;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.realtime.TestSocket;
import org.kinlink.gateway.support.GatewayProcess;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * A gateway node killed with SIGKILL while it is acknowledging messages loses none of them: every
 * message a client got a 201 for reaches its recipient exactly once through the other node, whether
 * the recipient's socket was open there (the push may have died with the node; the {@code after=}
 * catch-up brings it) or she was not connected at all; and the client's retries of what it never
 * heard back about make no second message. Every message stored is on the audit chain once, those
 * the dead node had not yet appended included (its outbox, swept by the survivor).
 */
class MessagingCrashTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  private static final int PER_CONTACT = 20;

  @Test
  void aNodeKilledRightAfterItsAcknowledgementsLosesNothingAndRetriesMakeNoSecondMessage() throws Exception {
    Gateway survivor = kinlink.gateway();
    survivor.services().messaging().randomHolds().setShare(0);
    MessagingFixture f = new MessagingFixture(survivor, kinlink.client());
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    var school = f.person(PersonKind.SCHOOL);
    JsonObject plenty = new JsonObject().put("limits", new JsonObject().put("messages_per_day", 1000));
    String toCarer = f.contact(mother.id(), carer.id(), "CARER", plenty);
    String toSchool = f.contact(mother.id(), school.id(), "SCHOOL", plenty);
    // every node must hold the same master key to open each other's conversation keys
    String masterKey = System.getenv(MasterKey.ENV) != null ? System.getenv(MasterKey.ENV)
        : Files.readString(survivor.config().dataDir().resolve("keys").resolve("master.key")).trim();
    GatewayProcess doomed = GatewayProcess.start(kinlink.redisUrl(),
        Map.of(MasterKey.ENV, masterKey, "KINLINK_MESSAGING_RANDOM_REVIEW_SHARE", "0"));

    // the carer is connected to the surviving node; the school lead is not connected at all
    String carerCursor = f.messages(carer, toCarer, null).getString("next_cursor");
    Map<String, Integer> pushed = new ConcurrentHashMap<>();
    try (TestSocket carerSocket = TestSocket.signedIn(kinlink.vertx(), survivor, carer.token())) {
      Map<String, String> bodies = new HashMap<>();
      Map<String, String> contactOf = new HashMap<>();
      for (int i = 0; i < PER_CONTACT; i++) {
        bodies.put("crash-carer-" + i, "To the carer, number " + i);
        contactOf.put("crash-carer-" + i, toCarer);
        bodies.put("crash-school-" + i, "To the school, number " + i);
        contactOf.put("crash-school-" + i, toSchool);
      }
      Map<String, String> acked = new ConcurrentHashMap<>(); // client id -> message id
      CountDownLatch half = new CountDownLatch(bodies.size() / 2);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      List<CompletableFuture<?>> inFlight = new ArrayList<>();
      for (var e : bodies.entrySet()) {
        HttpRequest send = HttpRequest.newBuilder(doomed.uri("/api/v1/conversations/" + contactOf.get(e.getKey()) + "/messages"))
            .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + mother.token())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("client_id", e.getKey()).put("body", e.getValue()).encode()))
            .build();
        inFlight.add(http.sendAsync(send, BodyHandlers.ofString()).thenAccept((HttpResponse<String> r) -> {
          if (r.statusCode() == 201) {
            acked.put(e.getKey(), new JsonObject(r.body()).getString("id"));
            half.countDown();
          }
        }));
      }
      assertTrue(half.await(60, TimeUnit.SECONDS), "half the sends were acknowledged: " + doomed.log());
      doomed.process.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed, pushes in flight die with it
      assertTrue(doomed.process.waitFor(20, TimeUnit.SECONDS));
      // the rest end one way or the other (a 201 that made it out, or a reset connection)
      CompletableFuture.allOf(inFlight.stream().map(c -> c.exceptionally(err -> null)).toArray(CompletableFuture[]::new))
          .get(30, TimeUnit.SECONDS);
      Map<String, String> acknowledged = Map.copyOf(acked);
      assertTrue(acknowledged.size() >= bodies.size() / 2);

      // the carer's client catches up after its last cursor; the school lead's first fetch gets everything
      JsonObject caught = f.messages(carer, toCarer, carerCursor);
      JsonObject schoolView = f.messages(school, toSchool, null);
      Map<String, JsonObject> carerGot = byId(caught, "the carer's catch-up");
      Map<String, JsonObject> schoolGot = byId(schoolView, "the school lead's fetch");
      for (var a : acknowledged.entrySet()) {
        Map<String, JsonObject> got = contactOf.get(a.getKey()).equals(toCarer) ? carerGot : schoolGot;
        JsonObject m = got.get(a.getValue());
        assertTrue(m != null, "acknowledged " + a.getKey() + " but the recipient never got it");
        assertEquals(bodies.get(a.getKey()), m.getString("body"), "the body is intact");
      }
      // pushes that did reach the socket came once each
      carerSocketFrames(carerSocket, pushed);
      pushed.forEach((id, n) -> assertEquals(1, n, "pushed once: " + id));
      System.out.println("[crash] " + acknowledged.size() + " of " + bodies.size() + " sends acknowledged before the node died; "
          + pushed.size() + " of the carer's pushed live, the rest came by catch-up");
      // and a further catch-up brings nothing that was not there already
      JsonObject again = f.messages(carer, toCarer, caught.getString("next_cursor"));
      assertTrue(carerGot.keySet().containsAll(byId(again, "the second catch-up").keySet()));

      // the client retries everything it has no answer for, on the surviving node, with the same client ids
      for (String clientId : bodies.keySet()) {
        var retry = f.send(mother, contactOf.get(clientId), clientId, bodies.get(clientId));
        if (acknowledged.containsKey(clientId)) {
          assertEquals(200, retry.statusCode(), "an acknowledged message answers its first answer");
          assertEquals(acknowledged.get(clientId), retry.bodyAsJsonObject().getString("id"));
        } else {
          assertTrue(retry.statusCode() == 201 || retry.statusCode() == 200, retry.bodyAsString());
        }
      }
    }
    List<String> stored = new ArrayList<>();
    for (String contact : List.of(toCarer, toSchool)) {
      List<JsonObject> all = f.items(mother, contact);
      assertEquals(PER_CONTACT, all.size(), "exactly one message per client id, none lost, none doubled");
      Set<String> distinct = new HashSet<>();
      all.forEach(m -> distinct.add(m.getString("body")));
      assertEquals(PER_CONTACT, distinct.size());
      all.forEach(m -> stored.add(m.getString("id")));
    }

    // The dead node answered sends before appending their audit events to the chain (each was parked
    // beside its message): the survivor's outbox sweeper appends what it left, once the grace is over.
    kinlink.clock().advance(MessageOutbox.GRACE.plusSeconds(1));
    int swept = Gateway.await(survivor.services().messaging().sweepAuditOutbox());
    Map<String, Integer> audited = new HashMap<>();
    for (JsonObject e : f.audit("message.send")) {
      audited.merge(e.getJsonObject("details").getString("message_id"), 1, Integer::sum);
    }
    for (String id : stored) {
      assertEquals(1, audited.getOrDefault(id, 0), "every stored message is on the audit chain exactly once: " + id);
    }
    System.out.println("[crash] the survivor's sweeper completed " + swept + " entries the dead node left in its outbox (appended, or found on the chain already)");
  }

  /** The items of a page by message id, failing if one id is listed twice. */
  private static Map<String, JsonObject> byId(JsonObject page, String what) {
    Map<String, JsonObject> out = new HashMap<>();
    for (Object o : page.getJsonArray("items")) {
      JsonObject m = (JsonObject) o;
      assertTrue(out.put(m.getString("id"), m) == null, what + " lists " + m.getString("id") + " twice");
    }
    return out;
  }

  /** Counts the message.new frames the socket has had by now. */
  private static void carerSocketFrames(TestSocket socket, Map<String, Integer> pushed) {
    while (true) {
      JsonObject frame = socket.poll();
      if (frame == null) {
        return;
      }
      if ("message.new".equals(frame.getString("type"))) {
        pushed.merge(frame.getJsonObject("message").getString("id"), 1, Integer::sum);
      }
    }
  }
}
