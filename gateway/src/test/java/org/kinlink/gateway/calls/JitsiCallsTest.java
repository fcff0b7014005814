package org.kinlink.gateway.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.jitsi.FakeJitsi;
import org.kinlink.gateway.jitsi.JitsiSetup;
import org.kinlink.gateway.messaging.MessagingFixture;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.support.Eventually;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * An establishment configured {@code jitsi} in the media file, through the real gateway: joins, the
 * reservation check and ending, against a loopback fake of prosody; other establishments stay embedded.
 */
@SuppressWarnings("unchecked")
class JitsiCallsTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();
  static final String EST = "t-jitsi-" + UUID.randomUUID().toString().substring(0, 6);
  static final HttpClient http = HttpClient.newHttpClient();

  static FakeJitsi prosody;
  static Gateway node;
  static String gw;
  static String secret;
  CallsFixture f;

  @BeforeAll
  static void start() throws Exception {
    GatewayConfig config = kinlink.config();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // the fake needs the gateway's key URLs before the gateway starts
    }
    gw = "http://127.0.0.1:" + port;
    prosody = new FakeJitsi(kinlink.vertx(), kinlink.clock(), gw + "/jitsi/keys/system", gw + "/jitsi/keys/login");
    Path data = config.dataDir();
    Files.createDirectories(data);
    Files.writeString(data.resolve("media.yaml"), "establishments:\n  " + EST + ":\n    media:\n      backend: jitsi\n"
        + "      jitsi:\n        base_url: https://meet.example.org\n        prosody_http_url: " + prosody.url() + "\n"
        + "        jibri_urls: [" + prosody.url() + "]\n");
    node = kinlink.start(config.withPort(port));
    secret = JitsiSetup.apiSecret(data);
  }

  @AfterAll
  static void stop() {
    prosody.close();
  }

  @BeforeEach
  void fixture() {
    f = new CallsFixture(node, kinlink.client(node), kinlink.clock(),
        new MessagingFixture(node, kinlink.client(node), new AuthFixture(node, EST)));
  }

  record Open(String id, String contact, SignedIn mother, SignedIn carer) {}

  Open openCall() {
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    // calls are recorded: booking waits for a fresh IDLE answer from the (fake) Jibri after the clock moved
    HttpResponse<Buffer>[] booked = new HttpResponse[1];
    Eventually.await("a booking once Jibri answered", Duration.ofSeconds(10),
        () -> (booked[0] = f.book(mother.token(), contact, f.in(Duration.ofMinutes(5)), 30)).statusCode() == 201);
    String id = booked[0].bodyAsJsonObject().getString("id");
    f.at(f.in(Duration.ofMinutes(5)));
    return new Open(id, contact, mother, carer);
  }

  /** A join, once the recorder's health is fresh again after the clock moved. */
  JsonObject joined(String token, String id) {
    HttpResponse<Buffer>[] r = new HttpResponse[1];
    Eventually.await("a join once Jibri answered", Duration.ofSeconds(10), () -> (r[0] = f.join(token, id)).statusCode() == 200);
    return r[0].bodyAsJsonObject();
  }

  java.net.http.HttpResponse<String> reserve(String room) throws Exception {
    String form = "name=" + room + "&start_time=" + kinlink.clock().instant().toString().replaceAll("\\.\\d+Z$", ".000Z")
        + "&mail_owner=abc%40meet.jitsi%2Fxyz";
    return http.send(HttpRequest.newBuilder(URI.create(gw + "/jitsi/reservations/conference"))
        .header("Authorization", "Bearer " + secret).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aJoinOnAJitsiEstablishmentAnswersARoomAndATokenProsodyAccepts() {
    Open c = openCall();
    JsonObject answer = joined(c.carer().token(), c.id());
    assertEquals("jitsi", answer.getString("backend"));
    JsonObject join = answer.getJsonObject("join");
    assertEquals("https://meet.example.org", join.getString("base_url"));
    assertEquals(c.id(), join.getString("room"));
    String jwt = join.getString("jwt");
    assertNull(prosody.verify(jwt, gw + "/jitsi/keys/login"), "the token verifies against the published login key");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    assertEquals(c.id(), claims.getString("room"));
    assertFalse(claims.getJsonObject("context").getJsonObject("user").getBoolean("moderator"));
    assertTrue(f.audit("call.join").stream().anyMatch(e -> "PERMIT".equals(e.getString("outcome"))));
  }

  @Test
  void aRefusedJoinMintsNoToken() {
    Open c = openCall();
    joined(c.mother().token(), c.id()); // the recorder is fresh and the call open
    suspend(c.contact());
    // a suspended contact must not come back: the call ends (the room with it), it is not a kick
    Eventually.await("end-meeting reaches prosody", Duration.ofSeconds(5), () -> endedAtProsody(c.id()));
    HttpResponse<Buffer> refused = f.join(c.carer().token(), c.id());
    assertTrue(refused.statusCode() == 403 || refused.statusCode() == 409, refused.bodyAsString());
    assertFalse(refused.bodyAsString().contains("jwt"));
  }

  @Test
  void prosodyMayCreateTheRoomOfAnOpenCallUntilASuspension() throws Exception {
    Open c = openCall();
    joined(c.carer().token(), c.id()); // opens the call
    java.net.http.HttpResponse<String> ok = reserve(c.id());
    assertEquals(200, ok.statusCode(), ok.body());
    long duration = new JsonObject(ok.body()).getLong("duration");
    assertTrue(Math.abs(duration - Duration.ofMinutes(30).toSeconds()) <= 2, "the room lasts until END_BY: " + duration);

    Open other = openCall();
    joined(other.carer().token(), other.id());
    suspend(other.contact());
    java.net.http.HttpResponse<String> refused = reserve(other.id());
    assertEquals(403, refused.statusCode(), refused.body());
    int unknown = reserve("call-" + UUID.randomUUID()).statusCode();
    assertTrue(unknown >= 400 && unknown < 500, "a room of no call is refused: " + unknown);
  }

  @Test
  void staffTerminateEndsTheRoomAtProsodyAndAFailedEndShowsOnReadiness() throws Exception {
    Open c = openCall();
    joined(c.carer().token(), c.id());
    HttpResponse<Buffer> t = f.post(f.m.security(), "/api/v1/calls/" + c.id() + "/terminate", new JsonObject().put("reason", "test"));
    assertEquals(200, t.statusCode(), t.bodyAsString());
    Eventually.await("end-meeting reaches prosody", Duration.ofSeconds(5), () -> endedAtProsody(c.id()));

    Open stuck = openCall();
    joined(stuck.carer().token(), stuck.id());
    for (int i = 0; i < 4; i++) {
      prosody.endAnswers.add(503);
    }
    assertEquals(200, f.post(f.m.security(), "/api/v1/calls/" + stuck.id() + "/terminate",
        new JsonObject().put("reason", "test")).statusCode());
    Eventually.await("readiness names the room", Duration.ofSeconds(10), () -> ready().contains(stuck.id()));
    assertTrue(ready().contains("jitsi"));
  }

  static boolean endedAtProsody(String callId) {
    return prosody.ended.stream().anyMatch(q -> q.startsWith(callId + "%40muc.") || q.startsWith(callId + "@muc."));
  }

  String ready() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.opsPort() + "/health/ready")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  void suspend(String contact) {
    Principal admin = new Principal("test-admin", Role.ADMIN, EST, null, "test");
    Gateway.await(node.services().contacts().service().transition(admin, contact,
        org.kinlink.gateway.contacts.ContactsService.Transition.SUSPEND, new JsonObject().put("reason", "disclosure"), null, null));
  }
}
