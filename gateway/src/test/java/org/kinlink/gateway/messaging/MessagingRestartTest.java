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
}
