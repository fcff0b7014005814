package org.kinlink.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.support.KinlinkExtension;
import org.slf4j.LoggerFactory;

/** Issue 9 items 3 and 9: bad input is a 400 in the error shape, found in linear time, never a 500. */
class BadInputTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Gateway gateway;
  static WebClient client;
  static String security;
  static ListAppender<ILoggingEvent> blocked = new ListAppender<>();

  @BeforeAll
  static void start() {
    // Vert.x warns when an event loop has been held for more than 2 s: none may appear in these tests
    Logger checker = (Logger) LoggerFactory.getLogger("io.vertx.core.internal.threadchecker.BlockedThreadChecker");
    blocked.start();
    checker.addAppender(blocked);
    gateway = kinlink.gateway();
    client = kinlink.client();
    security = kinlink.establishment().staffToken(client, Role.SECURITY);
  }

  private static HttpResponse<Buffer> post(String path, String body) {
    return Gateway.await(client.post(path).putHeader("Content-Type", "application/json")
        .putHeader("Authorization", "Bearer " + security).sendBuffer(Buffer.buffer(body)));
  }

  private static JsonObject error(HttpResponse<Buffer> r, int status) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertFalse(r.bodyAsString().contains("Exception"), r.bodyAsString());
    assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), "security headers on the error too");
    return r.bodyAsJsonObject().getJsonObject("error");
  }

  private static JsonObject get(String path, int status) {
    return error(AuthFixture.get(client, path, security), status);
  }

  /** The body with 40,000 unknown fields that held an event loop for 18 s, sent while /health/live is asked. */
  @Test
  void fortyThousandUnknownFieldsAreRefusedAtOnceAndHealthStillAnswers() {
    StringBuilder body = new StringBuilder("{\"prison_number\":\"A1234BC\",\"pin\":\"2580\",\"device_id\":\"k\"");
    for (int i = 0; i < 40_000; i++) {
      body.append(",\"f").append(i).append("\":1");
    }
    body.append('}');
    List<Future<HttpResponse<Buffer>>> bad = new ArrayList<>();
    List<Future<HttpResponse<Buffer>>> health = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      bad.add(client.post("/api/v1/auth/kiosk").putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body.toString())));
      health.add(client.get("/health/live").send());
    }
    for (var r : bad) {
      JsonObject e = error(Gateway.await(r), 400);
      assertEquals("BODY_TOO_COMPLEX", e.getString("code"));
      assertTrue(e.getString("message").contains("more than 256 members"), e.encode());
    }
    for (var r : health) {
      assertEquals(200, Gateway.await(r).statusCode());
    }
    assertEquals(List.of(), blocked.list.stream().map(ILoggingEvent::getFormattedMessage).toList(), "no event loop was held");
  }

  @Test
  void unknownFieldsUnderTheCapAreNamedOneAtATime() {
    StringBuilder body = new StringBuilder("{\"prison_number\":\"A1234BC\",\"pin\":\"2580\",\"device_id\":\"k\"");
    for (int i = 0; i < 250; i++) {
      body.append(",\"extra").append(i).append("\":1");
    }
    JsonObject e = error(post("/api/v1/auth/kiosk", body.append('}').toString()), 400);
    assertTrue(e.getString("field").startsWith("extra"), e.encode());
    assertTrue(e.getString("message").endsWith("is not an accepted field here."), e.encode());
  }

  @Test
  void deepNestingHugeTextsLongListsAndBrokenEncodingsAreRefusedBeforeValidation() {
    JsonObject deep = error(post("/api/v1/auth/kiosk", "{\"pin\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}"), 400);
    assertEquals("BODY_TOO_COMPLEX", deep.getString("code"));
    assertTrue(deep.getString("message").contains("deeper than 32 levels"), deep.encode());

    JsonObject text = error(post("/api/v1/auth/kiosk", "{\"pin\":\"" + "x".repeat(500_000) + "\"}"), 400);
    assertTrue(text.getString("message").contains("longer than 100000 characters"), text.encode());
    assertEquals("pin", text.getString("field"));

    JsonObject list = error(post("/api/v1/policy/evaluate", "{\"participants\":[" + "1,".repeat(20_000) + "1]}"), 400);
    assertTrue(list.getString("message").contains("more than 10000 items"), list.encode());
    assertEquals("participants", list.getString("field"));

    byte[] latin1 = "{\"pin\":\"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    HttpResponse<Buffer> r = Gateway.await(client.post("/api/v1/auth/kiosk").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(latin1)));
    assertTrue(error(r, 400).getString("message").startsWith("The body is not valid JSON"));
    assertEquals("The body has more after its JSON value.",
        error(post("/api/v1/auth/kiosk", "{\"pin\":\"1\"} 2"), 400).getString("message"));
    assertEquals(List.of(), blocked.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
  }

  @Test
  void aFractionalLimitNamesTheParameter() {
    for (String path : List.of("/api/v1/prisoners?limit=1.0", "/api/v1/contacts?limit=1.0", "/api/v1/prisoners?limit=1e2",
        "/api/v1/contacts?limit=abc")) {
      JsonObject e = get(path, 400);
      assertEquals("limit", e.getString("field"), path + " " + e.encode());
      assertTrue(e.getString("message").contains("query parameter 'limit'"), e.encode());
    }
  }

  @Test
  void aQueryStringThatIsNotUrlEncodingNamesTheParameter() {
    JsonObject e = get("/api/v1/prisoners?%zz=1", 400);
    assertEquals("INVALID_PARAMETER", e.getString("code"));
    assertEquals("%zz", e.getString("field"));
    JsonObject value = get("/api/v1/prisoners?limit=5&cursor=%g1", 400);
    assertEquals("cursor", value.getString("field"), value.encode());
  }

  @Test
  void aTimeOutsideYearsOneTo9999NamesTheParameter() {
    JsonObject e = get("/api/v1/audit?from=-999999999-01-01", 400);
    assertEquals("from", e.getString("field"));
    assertTrue(e.getString("message").contains("between the years 1 and 9999"), e.encode());
    assertEquals("to", get("/api/v1/audit?to=%2B999999999-12-31T00:00:00Z", 400).getString("field"));
  }

  @Test
  void aDurationTooLongForAnyCallNamesTheField() {
    JsonObject e = error(post("/api/v1/policy/evaluate",
        "{\"contact_id\":\"c-x\",\"action\":\"BOOK_CALL\",\"duration\":\"PT9999999999999H\"}"), 400);
    assertEquals("duration", e.getString("field"));
    assertTrue(e.getString("message").contains("PT24H"), e.encode());
  }

  @Test
  void http11WithoutHostIsA400InTheErrorShape() {
    RawHttp.Answer a = RawHttp.exchange(gateway.port(), "GET /health/live HTTP/1.1\r\n\r\n");
    assertEquals(400, a.status(), a.head());
    assertTrue(a.body().contains("\"MISSING_HOST\""), a.body());
    assertTrue(a.hasHeader("X-Content-Type-Options"), a.head());
  }

  @Test
  void requestsNettyCannotParseGetTheErrorShapeAndHeaders() {
    RawHttp.Answer garbage = RawHttp.exchange(gateway.port(), "GARBAGE\r\n\r\n");
    assertEquals(400, garbage.status(), garbage.head());
    assertTrue(garbage.body().contains("\"MALFORMED_REQUEST\""), garbage.body());
    assertTrue(garbage.hasHeader("Content-Security-Policy"), garbage.head());

    RawHttp.Answer big = RawHttp.exchange(gateway.port(),
        "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
    assertEquals(431, big.status(), big.head());
    assertTrue(big.body().contains("\"HEADERS_TOO_LARGE\""), big.body());
    assertTrue(big.hasHeader("X-Frame-Options"), big.head());

    RawHttp.Answer line = RawHttp.exchange(gateway.port(), "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(414, line.status(), line.head());
    assertTrue(line.hasHeader("X-Content-Type-Options"), line.head());
  }

  @Test
  void aMethodThePathDoesNotHaveIs405NamingTheOnesItHas() {
    HttpResponse<Buffer> r = Gateway.await(client.delete("/api/v1/prisoners").putHeader("Authorization", "Bearer " + security).send());
    JsonObject e = error(r, 405);
    assertEquals("METHOD_NOT_ALLOWED", e.getString("code"));
    assertEquals("GET, POST", r.getHeader("Allow"));
    assertEquals("NOT_FOUND", get("/api/v1/no-such-thing", 404).getString("code"));
  }

  @Test
  void tooLargeBodiesAndMissingFilesCarryTheHeadersAndTheErrorShape() {
    HttpResponse<Buffer> large = Gateway.await(client.post("/api/v1/auth/kiosk").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"pin\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}")));
    assertEquals("TOO_LARGE", error(large, 413).getString("code"));
    HttpResponse<Buffer> missing = Gateway.await(client.get("/no-such-page.html").send());
    assertEquals("NOT_FOUND", error(missing, 404).getString("code"));
    assertNull(missing.getHeader("Strict-Transport-Security"), "no HSTS over plain HTTP");
  }

  /** What the fuzzer found beyond the six: each answered 500 (or a bare 501) before. */
  @Test
  void brokenPathsHostsVersionsFormsAndChunksAre4xxInTheErrorShape() {
    String h = "Host: 127.0.0.1\r\nConnection: close\r\n";
    record Probe(String request, int status, String code) {}
    for (Probe p : List.of(
        new Probe("GET /%zz HTTP/1.1\r\n" + h + "\r\n", 400, "INVALID_PATH"),
        new Probe("GET /api/v1/prisoners/%g0 HTTP/1.1\r\n" + h + "\r\n", 400, "INVALID_PATH"),
        new Probe("GET /health/live HTTP/1.1\r\nHost: [::bad\r\n\r\n", 400, "MISSING_HOST"),
        new Probe("GET /health/live HTTP/9.9\r\n" + h + "\r\n", 400, "UNSUPPORTED_HTTP_VERSION"),
        new Probe("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400, "UNSUPPORTED_HTTP_VERSION"),
        new Probe("POST /api/v1/auth/login HTTP/1.1\r\n" + h + "Content-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: 9\r\n\r\na=1&b=%zz", 415, "UNSUPPORTED_MEDIA_TYPE"),
        new Probe("POST /api/v1/auth/kiosk HTTP/1.1\r\n" + h + "Content-Type: application/json\r\nContent-Encoding: gzip\r\n"
            + "Content-Length: 2\r\n\r\n{}", 415, "UNSUPPORTED_MEDIA_TYPE"),
        new Probe("POST /api/v1/auth/kiosk HTTP/1.1\r\n" + h + "Content-Type: application/json; charset=utf-16\r\n"
            + "Content-Length: 2\r\n\r\n{}", 415, "UNSUPPORTED_MEDIA_TYPE"))) {
      RawHttp.Answer a;
      try {
        a = RawHttp.exchange(gateway.port(), p.request());
      } catch (RuntimeException e) {
        throw new AssertionError("no answer to " + p.request(), e);
      }
      assertEquals(p.status(), a.status(), p.request() + " -> " + a.head() + a.body());
      assertTrue(a.body().contains("\"" + p.code() + "\""), p.request() + " -> " + a.body());
      assertTrue(a.hasHeader("X-Content-Type-Options"), a.head());
    }
    // a body whose chunk size is not a number breaks the stream: the connection is closed, with a 400 if anything
    try {
      RawHttp.Answer chunk = RawHttp.exchange(gateway.port(), "POST /api/v1/auth/kiosk HTTP/1.1\r\n" + h
          + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
      assertEquals(400, chunk.status(), chunk.body());
    } catch (java.io.UncheckedIOException closedWithoutAnswer) {
      // the decoder cannot go on, and Vert.x closes the connection
    }
  }
}
