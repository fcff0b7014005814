package org.kinlink.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.support.KinlinkExtension;

class GatewayShellTest {
  // a well-formed device proof, so that only the field under test is wrong
  private static final String PROOF = "\"nonce\":\"bm9uY2U\",\"signature\":\"c2lnbmF0dXJl\"";
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Gateway gateway;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
  }

  private static HttpResponse<Buffer> get(Vertx vertx, String path) {
    WebClient client = kinlink.client();
    return Gateway.await(client.get(path).send());
  }

  @Test
  void readyWhenRedisAnswers(Vertx vertx) {
    HttpResponse<Buffer> r = get(vertx, "/health/ready");
    assertEquals(200, r.statusCode());
    assertEquals("UP", r.bodyAsJsonObject().getJsonObject("checks").getString("redis"));
  }

  @Test
  void unknownApiPathIsJson404WithoutStackTrace(Vertx vertx) {
    HttpResponse<Buffer> r = get(vertx, "/api/v1/no-such-thing");
    assertEquals(404, r.statusCode());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals("NOT_FOUND", error.getString("code"));
    assertFalse(r.bodyAsString().contains("Exception"));
  }

  @Test
  void servesItsOpenApiDocumentAndPrometheusMetrics(Vertx vertx) {
    HttpResponse<Buffer> doc = get(vertx, "/api/v1/openapi.yaml");
    assertEquals(200, doc.statusCode());
    assertTrue(doc.bodyAsString().startsWith("openapi: 3.1"), doc.bodyAsString());
    // the metrics are on the operations listener (loopback), not the public one
    HttpResponse<Buffer> metrics = Gateway.await(WebClient.create(vertx).get(gateway.opsPort(), "127.0.0.1", "/metrics").send());
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.bodyAsString().contains("vertx_http_server"), "Vert.x HTTP metrics are exported");
  }

  private static JsonObject postError(Vertx vertx, String path, String body, int expectedStatus) {
    WebClient client = kinlink.client();
    HttpResponse<Buffer> r = Gateway.await(client.post(path).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)));
    assertEquals(expectedStatus, r.statusCode(), r.bodyAsString());
    assertFalse(r.bodyAsString().contains("Exception"), "no stack trace or class names");
    return r.bodyAsJsonObject().getJsonObject("error");
  }

  @Test
  void aWrongTypeNamesTheFieldAndWhatWasExpected(Vertx vertx) {
    JsonObject error = postError(vertx, "/api/v1/auth/kiosk",
        "{\"prison_number\":\"A1234BC\",\"pin\":2580,\"device_id\":\"kiosk-x\"," + PROOF + "}", 400);
    assertEquals("pin", error.getString("field"));
    assertTrue(error.getString("message").contains("Expected string"), error.encode());
  }

  @Test
  void aMissingFieldIsNamed(Vertx vertx) {
    JsonObject error = postError(vertx, "/api/v1/auth/kiosk", "{\"prison_number\":\"A1234BC\",\"device_id\":\"k\"," + PROOF + "}", 400);
    assertEquals("pin", error.getString("field"));
    assertEquals("'pin' is required.", error.getString("message"));
  }

  @Test
  void anUnknownFieldIsNamed(Vertx vertx) {
    JsonObject error = postError(vertx, "/api/v1/auth/kiosk",
        "{\"prison_number\":\"A1234BC\",\"pin\":\"2580\",\"device_id\":\"k\"," + PROOF + ",\"admin\":true}", 400);
    assertEquals("admin", error.getString("field"));
  }

  @Test
  void malformedJsonIsA400(Vertx vertx) {
    JsonObject error = postError(vertx, "/api/v1/auth/kiosk", "{\"prison_number\": ", 400);
    assertEquals("INVALID_REQUEST", error.getString("code"));
  }

  @Test
  void anOversizedBodyIsA413(Vertx vertx) {
    JsonObject error = postError(vertx, "/api/v1/auth/kiosk", "\"" + "a".repeat(2 * 1024 * 1024) + "\"", 413);
    assertEquals("TOO_LARGE", error.getString("code"));
  }
}
