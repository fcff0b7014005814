package org.kinlink.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.support.TestGateway;

/** Acknowledged messages survive a Redis crash, and a client's retry afterwards makes no second message. */
class MessagingRestartTest {

  @Test
  void aRetryAfterARedisCrashAndRestartMakesExactlyOneMessage() {
    Vertx vertx = Vertx.vertx();
    GatewayConfig config = TestGateway.config().withRedisUrl(Optional.empty()); // its own embedded Redis
    Gateway first = Gateway.start(config);
    first.services().messaging().randomHolds().setShare(0);
    MessagingFixture f = new MessagingFixture(first, AuthFixture.client(vertx, first));
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", null);
    HttpResponse<Buffer> sent = f.send(mother, contact, "kiosk-42", "Did the parcel arrive?");
    assertEquals(201, sent.statusCode(), sent.bodyAsString());

    // Redis dies without a clean shutdown (only appendfsync always saved the write), then the node restarts
    first.embeddedRedis().kill();
    first.close();
    Gateway second = Gateway.start(config);
    try {
      WebClient client = AuthFixture.client(vertx, second);
      String path = "/api/v1/conversations/" + contact + "/messages";
      HttpResponse<Buffer> retry = AuthFixture.post(client, path, mother.token(),
          new JsonObject().put("client_id", "kiosk-42").put("body", "Did the parcel arrive?"));
      assertEquals(200, retry.statusCode(), retry.bodyAsString());
      assertEquals(sent.bodyAsJsonObject().getString("id"), retry.bodyAsJsonObject().getString("id"));
      HttpResponse<Buffer> seen = AuthFixture.get(client, path, carer.token());
      assertEquals(1, seen.bodyAsJsonObject().getJsonArray("items").size());
      assertEquals("Did the parcel arrive?", seen.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("body"));
    } finally {
      second.close();
      Gateway.await(vertx.close());
    }
  }

  @Test
  void redisKilledInTheMiddleOfManySendsThenClientRetriesMakeExactlyOneMessageEach() {
    Vertx vertx = Vertx.vertx();
    // its own embedded Redis; no random holds on either node (a held retry would be hidden from the carer)
    GatewayConfig config = TestGateway.config().withRedisUrl(Optional.empty()).withRandomReviewShare(Optional.of(0.0));
    Gateway first = Gateway.start(config);
    MessagingFixture f = new MessagingFixture(first, AuthFixture.client(vertx, first));
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER",
        new JsonObject().put("limits", new JsonObject().put("messages_per_day", 1000)));
    String path = "/api/v1/conversations/" + contact + "/messages";
    int total = 30;
    java.util.Map<String, String> acked = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.CountDownLatch some = new java.util.concurrent.CountDownLatch(total / 3);
    java.util.List<io.vertx.core.Future<?>> inFlight = new java.util.ArrayList<>();
    for (int i = 0; i < total; i++) {
      String clientId = "mid-" + i;
      inFlight.add(f.client.post(path).putHeader("Authorization", "Bearer " + mother.token())
          .sendJsonObject(new JsonObject().put("client_id", clientId).put("body", "Message " + i))
          .onSuccess(r -> {
            if (r.statusCode() == 201) {
              acked.put(clientId, r.bodyAsJsonObject().getString("id"));
              some.countDown();
            }
          }));
    }
    try {
      org.junit.jupiter.api.Assertions.assertTrue(some.await(30, java.util.concurrent.TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    first.embeddedRedis().kill(); // mid-send: some answered, some in Redis but unanswered, some never written
    Gateway.await(io.vertx.core.Future.join(inFlight).otherwiseEmpty());
    java.util.Map<String, String> acknowledged = java.util.Map.copyOf(acked);
    System.out.println("[restart] " + acknowledged.size() + " of " + total + " sends acknowledged before Redis died");
    first.close();
    Gateway second = Gateway.start(config);
    try {
      WebClient client = AuthFixture.client(vertx, second);
      for (int i = 0; i < total; i++) {
        String clientId = "mid-" + i;
        HttpResponse<Buffer> retry = AuthFixture.post(client, path, mother.token(),
            new JsonObject().put("client_id", clientId).put("body", "Message " + i));
        if (acknowledged.containsKey(clientId)) {
          assertEquals(200, retry.statusCode(), retry.bodyAsString());
          assertEquals(acknowledged.get(clientId), retry.bodyAsJsonObject().getString("id"));
        } else {
          org.junit.jupiter.api.Assertions.assertTrue(retry.statusCode() == 201 || retry.statusCode() == 200, retry.bodyAsString());
        }
      }
      assertEquals(total, AuthFixture.get(client, path + "?limit=100", mother.token()).bodyAsJsonObject()
          .getJsonArray("items").size(), "the sender has exactly one message per client id");
      HttpResponse<Buffer> seen = AuthFixture.get(client, path + "?limit=100", carer.token());
      var items = seen.bodyAsJsonObject().getJsonArray("items");
      assertEquals(total, items.size(), "one message per client id: none lost, none doubled");
      assertEquals(total, items.stream().map(o -> ((JsonObject) o).getString("body")).distinct().count());
    } finally {
      second.close();
      Gateway.await(vertx.close());
    }
  }
}
