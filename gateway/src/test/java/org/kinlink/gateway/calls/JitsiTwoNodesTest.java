package org.kinlink.gateway.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.jitsi.FakeJitsi;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.support.Eventually;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * Two gateway nodes on one Redis, one Jitsi establishment: a call created on one node is ended at
 * prosody by the other, which never saw it (its backend and room are shared state, not one node's
 * memory).
 */
class JitsiTwoNodesTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();
  static final String EST = "t-jitsi2-" + UUID.randomUUID().toString().substring(0, 6);

  static JitsiNodes jitsi;
  static FakeJitsi prosody;
  static GatewayConfig shared;
  static Gateway a;
  static Gateway b;

  @BeforeAll
  static void start() throws Exception {
    // both nodes behind one load balancer: the same data dir gives them the same keys and API secret
    shared = kinlink.config();
    jitsi = JitsiNodes.prepare(kinlink, shared.dataDir(), EST);
    prosody = jitsi.prosody;
    a = kinlink.start(shared.withPort(jitsi.port));
    b = kinlink.start(shared);
  }

  @AfterAll
  static void stop() {
    prosody.close();
  }

  record Open(String id, String contact, SignedIn mother, SignedIn carer, JsonObject carerJoin, CallsFixture on) {}

  static CallsFixture on(Gateway node) {
    return jitsi.fixture(node);
  }

  /** A call booked and joined through {@code f}'s node: its conference is created there. */
  static Open openOn(CallsFixture f) {
    JitsiNodes.Booked c = JitsiNodes.openCarerCall(f);
    JsonObject carerJoin = JitsiNodes.joinOnceJibriAnswers(f, c.carer().token(), c.id());
    assertEquals("jitsi", carerJoin.getString("backend"));
    return new Open(c.id(), c.contact(), c.mother(), c.carer(), carerJoin, f);
  }

  static boolean endedAtProsody(String callId) {
    return jitsi.endedAtProsody(callId);
  }

  @Test
  void aSuspensionLearntOnlyByTheOtherNodeEndsTheRoomAtProsody() throws Exception {
    // the creating node goes away, so only B can end the room (with A up, either might)
    Gateway creator = kinlink.start(shared);
    Open c = openOn(on(creator));
    creator.close();
    assertFalse(endedAtProsody(c.id()));
    long t0 = System.nanoTime();
    jitsi.suspend(b, c.contact());
    Eventually.await("end-meeting from B reaches prosody", Duration.ofSeconds(5), () -> endedAtProsody(c.id()));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("FIGURES suspension on B -> end-meeting at prosody: " + ms + " ms (the suspension's own write included)");
    assertTrue(ms < 1000, "the room ends within a second of the suspension: " + ms + " ms");
  }

  @Test
  void staffTerminateOnTheOtherNodeEndsTheRoomAndAFailedEndShowsOnThatNodesReadiness() throws Exception {
    CallsFixture onB = on(b);
    CallsFixture onA = new CallsFixture(a, kinlink.client(a), kinlink.clock(), onB.m);
    Open c = openOn(onA);
    HttpResponse<Buffer> t = onB.post(onB.m.security(), "/api/v1/calls/" + c.id() + "/terminate",
        new JsonObject().put("reason", "test"));
    assertEquals(200, t.statusCode(), t.bodyAsString());
    Eventually.await("end-meeting from B reaches prosody", Duration.ofSeconds(5), () -> endedAtProsody(c.id()));

    Open stuck = openOn(onA);
    for (int i = 0; i < 4; i++) {
      prosody.endAnswers.add(503);
    }
    assertEquals(200, onB.post(onB.m.security(), "/api/v1/calls/" + stuck.id() + "/terminate",
        new JsonObject().put("reason", "test")).statusCode());
    Eventually.await("B's readiness names the room", Duration.ofSeconds(10), () -> ready(b).contains(stuck.id()));
    assertFalse(endedAtProsody(stuck.id()));
  }

  /** prosody's event_sync_component posting to {@code node} (its api_prefix behind a load balancer). */
  static int occupant(Gateway node, boolean joined, String callId, JsonObject joinAnswer) throws Exception {
    JsonObject join = joinAnswer.getJsonObject("join");
    return prosody.occupant("http://127.0.0.1:" + node.port() + "/jitsi", org.kinlink.gateway.jitsi.JitsiSetup.apiSecret(shared.dataDir()),
        joined, callId, join.getString("participant_id"), JitsiNodes.nick(join));
  }

  @Test
  void presenceAndJibrisWebhooksReachingOtherNodesThanTheJoinsStillMoveTheCall() throws Exception {
    CallsFixture onA = on(a);
    Open c = openOn(onA);
    JsonObject mother = onA.joined(c.mother().token(), c.id());
    assertEquals(200, occupant(b, true, c.id(), mother));
    assertEquals(200, occupant(b, true, c.id(), c.carerJoin()));
    Eventually.await("LIVE from presence B heard of joins A served", Duration.ofSeconds(5),
        () -> "LIVE".equals(onA.call(c.mother().token(), c.id()).getString("state")));
    Eventually.await("Jibri started", Duration.ofSeconds(5), () -> prosody.sessionOf(c.id()) != null);
    String session = prosody.sessionOf(c.id());
    String secret = org.kinlink.gateway.jitsi.JitsiSetup.apiSecret(shared.dataDir());
    // the webhooks reach the node that did not start the recording
    assertEquals(200, prosody.postSession("http://127.0.0.1:" + a.port() + "/jitsi/jibri/" + secret, session, "ON"));
    assertEquals(200, prosody.postSession("http://127.0.0.1:" + a.port() + "/jitsi/jibri/" + secret, session, "OFF"));
    Eventually.await("the call ends when the recorder stops", Duration.ofSeconds(5),
        () -> "ENDED".equals(onA.call(c.mother().token(), c.id()).getString("state")));
    assertEquals("RECORDING_FAILED", onA.call(c.mother().token(), c.id()).getString("why"));
    Eventually.await("end-meeting reaches prosody", Duration.ofSeconds(5), () -> endedAtProsody(c.id()));
    prosody.jibriBusy = "IDLE";
  }

  @Test
  void aChildJoiningOnOneNodeWaitsForTheSupervisorPresenceAnotherNodeHeard() throws Exception {
    CallsFixture onA = on(a);
    var s = onA.school();
    String id = JitsiNodes.bookOnceJibriAnswers(onA, s.lead().token(), s.childContact(), onA.in(Duration.ofMinutes(10)));
    onA.at(onA.in(Duration.ofMinutes(9)));
    String link = onA.link(s.lead().token(), id);
    String tablet = CallsFixture.device();
    JsonObject lead = JitsiNodes.joinOnceJibriAnswers(onA, s.lead().token(), id);
    assertEquals(409, onA.redeem(link, tablet).statusCode(), "no supervisor in yet: no child");
    assertEquals(200, occupant(b, true, id, lead));
    HttpResponse<Buffer> child = onA.redeem(link, tablet);
    assertEquals(200, child.statusCode(), child.bodyAsString());
    assertEquals("CHILD", child.bodyAsJsonObject().getJsonObject("join").getString("role"));
    assertEquals(200, occupant(b, true, id, child.bodyAsJsonObject()));
    assertEquals(200, occupant(a, false, id, lead));
    Eventually.await("the child is removed once the supervisor left", Duration.ofSeconds(5),
        () -> !prosody.kicked.isEmpty() && prosody.kicked.contains(JitsiNodes.nick(child.bodyAsJsonObject().getJsonObject("join"))));
    assertEquals(409, onA.redeem(link, tablet).statusCode());
  }

  static String ready(Gateway node) {
    return JitsiNodes.ready(node);
  }
}
