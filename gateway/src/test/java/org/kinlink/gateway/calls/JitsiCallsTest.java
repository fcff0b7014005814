package org.kinlink.gateway.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.calls.JitsiNodes.nick;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
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
import org.kinlink.gateway.calls.JitsiNodes.Booked;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.jitsi.FakeJitsi;
import org.kinlink.gateway.jitsi.JitsiSetup;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.support.Eventually;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * An establishment configured {@code jitsi} in the media file, through the real gateway: joins, the
 * reservation check and ending, against a loopback fake of prosody; other establishments stay embedded.
 */
class JitsiCallsTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();
  static final String EST = "t-jitsi-" + UUID.randomUUID().toString().substring(0, 6);
  static final HttpClient http = HttpClient.newHttpClient();

  static JitsiNodes jitsi;
  static FakeJitsi prosody;
  static Gateway node;
  static String gw;
  static String secret;
  CallsFixture f;

  @BeforeAll
  static void start() throws Exception {
    GatewayConfig config = kinlink.config();
    jitsi = JitsiNodes.prepare(kinlink, config.dataDir(), EST);
    prosody = jitsi.prosody;
    gw = jitsi.gateway;
    node = kinlink.start(config.withPort(jitsi.port));
    secret = JitsiSetup.apiSecret(config.dataDir());
  }

  @AfterAll
  static void stop() {
    prosody.close();
  }

  @BeforeEach
  void fixture() {
    f = jitsi.fixture(node);
  }

  Booked openCall() {
    return JitsiNodes.openCarerCall(f);
  }

  JsonObject joined(String token, String id) {
    return JitsiNodes.joinOnceJibriAnswers(f, token, id);
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
    Booked c = openCall();
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
    Booked c = openCall();
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
    Booked c = openCall();
    joined(c.carer().token(), c.id()); // opens the call
    java.net.http.HttpResponse<String> ok = reserve(c.id());
    assertEquals(200, ok.statusCode(), ok.body());
    long duration = new JsonObject(ok.body()).getLong("duration");
    assertTrue(Math.abs(duration - Duration.ofMinutes(30).toSeconds()) <= 2, "the room lasts until END_BY: " + duration);

    Booked other = openCall();
    joined(other.carer().token(), other.id());
    suspend(other.contact());
    java.net.http.HttpResponse<String> refused = reserve(other.id());
    assertEquals(403, refused.statusCode(), refused.body());
    int unknown = reserve("call-" + UUID.randomUUID()).statusCode();
    assertTrue(unknown >= 400 && unknown < 500, "a room of no call is refused: " + unknown);
  }

  @Test
  void staffTerminateEndsTheRoomAtProsodyAndAFailedEndShowsOnReadiness() throws Exception {
    Booked c = openCall();
    joined(c.carer().token(), c.id());
    HttpResponse<Buffer> t = f.post(f.m.security(), "/api/v1/calls/" + c.id() + "/terminate", new JsonObject().put("reason", "test"));
    assertEquals(200, t.statusCode(), t.bodyAsString());
    Eventually.await("end-meeting reaches prosody", Duration.ofSeconds(5), () -> endedAtProsody(c.id()));

    Booked stuck = openCall();
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
    return jitsi.endedAtProsody(callId);
  }

  String ready() {
    return JitsiNodes.ready(node);
  }

  int occupant(boolean joined, String callId, JsonObject joinAnswer) throws Exception {
    JsonObject join = joinAnswer.getJsonObject("join");
    return prosody.occupant(gw + "/jitsi", secret, joined, callId, join.getString("participant_id"), nick(join));
  }

  String state(String token, String callId) {
    return f.call(token, callId).getString("state");
  }

  @Test
  void presenceFromProsodyMakesTheCallLiveAndStartsJibriWhoseOffWebhookEndsIt() throws Exception {
    Booked c = openCall();
    JsonObject mother = joined(c.mother().token(), c.id());
    JsonObject carer = joined(c.carer().token(), c.id());
    assertEquals(200, occupant(true, c.id(), mother));
    assertEquals("OPEN", state(c.mother().token(), c.id()), "the prison side alone is not a call yet");
    assertEquals(200, occupant(true, c.id(), carer));
    Eventually.await("the call is LIVE once prosody says both are in", Duration.ofSeconds(5),
        () -> "LIVE".equals(state(c.mother().token(), c.id())));
    Eventually.await("a recorded call starts Jibri", Duration.ofSeconds(5), () -> prosody.sessionOf(c.id()) != null);
    String session = prosody.sessionOf(c.id());
    String webhooks = gw + "/jitsi/jibri/" + secret;
    int starts = prosody.jibriStarts.size();
    assertEquals(200, prosody.postSession(webhooks, session, "ON"));
    assertEquals(200, prosody.postSession(webhooks, session, "ON"), "a replayed ON is taken without a second effect");
    assertEquals(starts, prosody.jibriStarts.size());
    assertEquals("LIVE", state(c.mother().token(), c.id()));

    // OFF mid-call (posted once, never retried): the recording failed, so the call ends and so does the room
    assertEquals(200, prosody.postSession(webhooks, session, "OFF"));
    Eventually.await("the call ends when the recorder stops", Duration.ofSeconds(5),
        () -> "ENDED".equals(state(c.mother().token(), c.id())));
    Eventually.await("end-meeting reaches prosody", Duration.ofSeconds(5), () -> endedAtProsody(c.id()));
    assertEquals("RECORDING_FAILED", f.call(c.mother().token(), c.id()).getString("why"));
    assertEquals(200, prosody.postSession(webhooks, session, "OFF"), "a replayed OFF is taken");
    Gateway.await(f.calls().sweep());
    assertEquals(1, f.audit("call.end").stream().filter(e -> e.encode().contains(c.id())).count(), "and has no second effect");
    prosody.jibriBusy = "IDLE";
  }

  @Test
  void aSupervisedJitsiCallLetsTheChildInOnlyWhileProsodySaysTheSupervisorIsIn() throws Exception {
    var s = f.school();
    String id = JitsiNodes.bookOnceJibriAnswers(f, s.lead().token(), s.childContact(), f.in(Duration.ofMinutes(10)));
    f.at(f.in(Duration.ofMinutes(9)));
    String link = f.link(s.lead().token(), id);
    String tablet = CallsFixture.device();
    JsonObject mother = joined(s.mother().token(), id);
    JsonObject lead = joined(s.lead().token(), id);
    assertEquals("SUPERVISOR", lead.getJsonObject("join").getString("role"));
    HttpResponse<Buffer> early = f.redeem(link, tablet);
    assertEquals(409, early.statusCode(), "presence unknown: no media between the prisoner and the child: " + early.bodyAsString());
    assertFalse(early.bodyAsString().contains("jwt"));
    assertEquals(200, occupant(true, id, mother));

    assertEquals(200, occupant(true, id, lead));
    HttpResponse<Buffer> child = f.redeem(link, tablet);
    assertEquals(200, child.statusCode(), child.bodyAsString());
    JsonObject childJoin = child.bodyAsJsonObject();
    assertEquals("CHILD", childJoin.getJsonObject("join").getString("role"));
    assertNull(prosody.verify(childJoin.getJsonObject("join").getString("jwt"), gw + "/jitsi/keys/login"));
    assertEquals(200, occupant(true, id, childJoin));
    Eventually.await("LIVE", Duration.ofSeconds(5), () -> "LIVE".equals(state(s.mother().token(), id)));
    Eventually.await("the recorded call starts Jibri", Duration.ofSeconds(5), () -> prosody.sessionOf(id) != null);
    assertEquals(200, prosody.postSession(gw + "/jitsi/jibri/" + secret, prosody.sessionOf(id), "ON"));

    // the supervisor leaves: the child is taken out of the room and cannot come back until they return
    assertEquals(200, occupant(false, id, lead));
    Eventually.await("the child is removed with the supervisor gone", Duration.ofSeconds(5),
        () -> prosody.kicked.contains(nick(childJoin.getJsonObject("join"))));
    assertEquals(409, f.redeem(link, tablet).statusCode());
    assertEquals("LIVE", state(s.mother().token(), id));

    // gone longer than allowed: the call ends, the room with it
    f.clock.advance(Calls.SUPERVISOR_ABSENCE.plusSeconds(1));
    Gateway.await(f.calls().sweep());
    String staff = f.m.security(); // the others' access tokens expired with the clock's moves
    Eventually.await("the call ends", Duration.ofSeconds(5), () -> "ENDED".equals(state(staff, id)));
    assertEquals("SUPERVISOR_ABSENT", f.call(staff, id).getString("why"));
    Eventually.await("end-meeting reaches prosody", Duration.ofSeconds(5), () -> endedAtProsody(id));
    assertTrue(prosody.jibriCalls.contains("/stopService"), "the recording stops with the call");
  }

  @Test
  void aJitsiCallNobodyTurnsUpToEndsAsANoShowAndItsRoomWithIt() throws Exception {
    Booked c = openCall();
    joined(c.mother().token(), c.id()); // a token was minted, but prosody never saw anyone join
    f.clock.advance(CallsService.NO_SHOW_AFTER.plusSeconds(1));
    Gateway.await(f.calls().sweep());
    String staff = f.m.security(); // signed in after the clock moved past the access tokens' life
    Eventually.await("a no-show", Duration.ofSeconds(5), () -> "ENDED".equals(state(staff, c.id())));
    assertEquals("NO_SHOW", f.call(staff, c.id()).getString("why"));
    Eventually.await("end-meeting reaches prosody", Duration.ofSeconds(5), () -> endedAtProsody(c.id()));
  }

  @Test
  void securityMonitorsAJitsiCallThroughTheHiddenAccountWithAReasonButNeverAPrivilegedOne() throws Exception {
    Booked c = openCall();
    joined(c.mother().token(), c.id());
    String security = f.m.security();
    HttpResponse<Buffer> mon = f.post(security, "/api/v1/calls/" + c.id() + "/monitor", new JsonObject().put("reason", "routine check"));
    assertEquals(200, mon.statusCode(), mon.bodyAsString());
    assertEquals("jitsi", mon.bodyAsJsonObject().getString("backend"));
    JsonObject join = mon.bodyAsJsonObject().getJsonObject("join");
    assertEquals("MONITOR", join.getString("role"));
    assertEquals(c.id(), join.getString("room"));
    assertEquals("hidden.meet.jitsi", join.getString("hidden_domain"));
    assertEquals("kinlink-monitor@hidden.meet.jitsi", join.getJsonObject("login").getString("id"));
    assertEquals(JitsiNodes.MONITOR_PASSWORD, join.getJsonObject("login").getString("password"));
    assertTrue(join.getBoolean("receive_only"));
    assertNull(join.getString("jwt"), "a monitor signs in on the hidden domain, with no participant token");
    assertTrue(f.audit("call.monitor").stream().anyMatch(e -> "PERMIT".equals(e.getString("outcome"))
        && e.encode().contains("routine check") && e.encode().contains(c.id())));

    // privileged (legal): monitoring is refused before any account is handed out, and Jibri never starts
    SignedIn client = f.m.mother();
    SignedIn solicitor = f.m.person(PersonKind.LEGAL);
    String legal = f.m.contact(client.id(), solicitor.id(), "LEGAL", null);
    String id = f.booked(client.token(), legal, f.in(Duration.ofMinutes(5)), 30).getString("id");
    int jibriCalls = prosody.jibriStarts.size();
    JsonObject mother = joined(client.token(), id);
    JsonObject lawyer = joined(solicitor.token(), id);
    HttpResponse<Buffer> refused = f.post(security, "/api/v1/calls/" + id + "/monitor", new JsonObject().put("reason", "curious"));
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertEquals("MONITOR_REFUSED", refused.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertFalse(refused.bodyAsString().contains(JitsiNodes.MONITOR_PASSWORD));
    assertTrue(f.audit("call.monitor").stream().anyMatch(e -> "DENY".equals(e.getString("outcome")) && e.encode().contains(id)));
    assertEquals(200, occupant(true, id, mother));
    assertEquals(200, occupant(true, id, lawyer));
    Eventually.await("the privileged call is LIVE", Duration.ofSeconds(5), () -> "LIVE".equals(state(client.token(), id)));
    assertEquals(jibriCalls, prosody.jibriStarts.size(), "a privileged call never starts Jibri");
    assertNull(prosody.sessionOf(id));
  }

  java.net.http.HttpResponse<String> upload(String session, byte[] video) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(gw + "/jitsi/recordings/" + session))
        .header("Authorization", "Bearer " + secret).header("Content-Type", "video/mp4")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(video)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anUploaderStillSendingWhenItsRecordingIsRefusedGetsTheRefusal() throws Exception {
    // a plain blocking client: it reads the answer only once it has sent the whole body. Closed
    // while the body was still arriving, the node's socket would reset it mid-write instead.
    URI at = URI.create(gw);
    int size = 32 * 1024 * 1024;
    try (java.net.Socket socket = new java.net.Socket(at.getHost(), at.getPort())) {
      socket.setSoTimeout(30_000);
      java.io.OutputStream out = socket.getOutputStream();
      out.write(("PUT /jitsi/recordings/no-such-session HTTP/1.1\r\nHost: " + at.getHost() + "\r\nAuthorization: Bearer wrong\r\n"
          + "Content-Type: video/mp4\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] slice = new byte[64 * 1024];
      for (int sent = 0; sent < size; sent += slice.length) {
        out.write(slice);
      }
      out.flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
      assertTrue(answer.contains("A valid bearer secret is needed."), answer);
    }
  }

  @Test
  void jibrisRecordingLargerThanAnyApiBodyIsUploadedThroughTheGatewayAndPlaysBackInSecurity() throws Exception {
    Booked c = openCall();
    JsonObject mother = joined(c.mother().token(), c.id());
    JsonObject carer = joined(c.carer().token(), c.id());
    occupant(true, c.id(), mother);
    occupant(true, c.id(), carer);
    Eventually.await("Jibri starts", Duration.ofSeconds(5), () -> prosody.sessionOf(c.id()) != null);
    String session = prosody.sessionOf(c.id());
    assertEquals(200, prosody.postSession(gw + "/jitsi/jibri/" + secret, session, "ON"));
    String security = f.m.security();
    assertEquals(200, f.post(security, "/api/v1/calls/" + c.id() + "/terminate", new JsonObject().put("reason", "test")).statusCode());
    prosody.jibriBusy = "IDLE";

    byte[] video = new byte[(int) (node.services().config().maxBodyBytes() + 700_000)]; // past max-body-bytes
    new java.util.Random(11).nextBytes(video);
    assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(gw + "/jitsi/recordings/" + session))
        .header("Authorization", "Bearer wrong").header("Content-Type", "video/mp4")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(video)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
    java.net.http.HttpResponse<String> stored = upload(session, video);
    assertEquals(201, stored.statusCode(), stored.body());
    assertEquals(video.length, new JsonObject(stored.body()).getLong("bytes"));
    assertEquals(200, upload(session, video).statusCode(), "the finalize script's retry: no second recording");

    HttpResponse<Buffer> list = AuthFixture.get(f.client, "/api/v1/calls/" + c.id() + "/recordings?reason=review", security);
    assertEquals(200, list.statusCode(), list.bodyAsString());
    var items = list.bodyAsJsonObject().getJsonArray("items");
    assertEquals(1, items.size(), items.encode());
    String rec = items.getJsonObject(0).getString("id");
    assertEquals("video/mp4", items.getJsonObject(0).getString("mime"));
    HttpResponse<Buffer> played = AuthFixture.get(f.client, "/api/v1/recordings/" + rec + "?reason=review", security);
    assertEquals(200, played.statusCode());
    assertEquals("video/mp4", played.getHeader("Content-Type"));
    assertTrue(java.util.Arrays.equals(video, played.bodyAsBuffer().getBytes()), "security plays what Jibri recorded");

    // past the recording limit: refused with 413, and nothing of it is listed
    Booked other = openCall();
    String tooBig = "kl." + other.id() + ".0badc0de";
    java.net.http.HttpResponse<String> refused = upload(tooBig, new byte[JitsiNodes.RECORDING_MAX_MB * 1024 * 1024 + 1]);
    assertEquals(413, refused.statusCode(), refused.body());
    assertTrue(new JsonObject(refused.body()).getJsonObject("error").getString("message").contains(JitsiNodes.RECORDING_MAX_MB + " MiB"));
    assertEquals(0, AuthFixture.get(f.client, "/api/v1/calls/" + other.id() + "/recordings?reason=review", f.m.security()).bodyAsJsonObject()
        .getJsonArray("items").size());
  }

  @Test
  void anEstablishmentTheMediaFileDoesNotPutOnJitsiKeepsTheEmbeddedBackendOnTheSameNode() {
    CallsFixture other = new CallsFixture(node, kinlink.client(node), kinlink.clock()); // a fresh establishment
    SignedIn mother = other.m.mother();
    SignedIn carer = other.m.person(PersonKind.CARER);
    String contact = other.m.contact(mother.id(), carer.id(), "CARER", null);
    String id = other.booked(mother.token(), contact, other.in(Duration.ofMinutes(5)), 30).getString("id");
    other.at(other.in(Duration.ofMinutes(5)));
    JsonObject answer = other.joined(carer.token(), id);
    assertEquals("embedded", answer.getString("backend"), answer.encode());
    assertNull(answer.getJsonObject("join").getString("jwt"));
  }

  void suspend(String contact) {
    jitsi.suspend(node, contact);
  }
}
