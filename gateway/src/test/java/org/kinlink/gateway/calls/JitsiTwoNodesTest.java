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
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.jitsi.FakeJitsi;
import org.kinlink.gateway.messaging.MessagingFixture;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.support.Eventually;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * Two gateway nodes on one Redis, one Jitsi establishment: a call created on one node is ended at
 * prosody by the other, which never saw it (its backend and room are shared state, not one node's
 * memory).
 */
@SuppressWarnings("unchecked")
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

  record Open(String id, String contact, SignedIn carer, CallsFixture on) {}

  /** A fixture on {@code node} (it moves the clock to a fresh day: make every fixture of a test first). */
  static CallsFixture on(Gateway node) {
    return new CallsFixture(node, kinlink.client(node), kinlink.clock(),
        new MessagingFixture(node, kinlink.client(node), new AuthFixture(node, EST)));
  }

  /** A call booked and joined through {@code f}'s node: its conference is created there. */
  static Open openOn(CallsFixture f) {
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    HttpResponse<Buffer>[] booked = new HttpResponse[1];
    Eventually.await("a booking once Jibri answered", Duration.ofSeconds(10),
        () -> (booked[0] = f.book(mother.token(), contact, f.in(Duration.ofMinutes(5)), 30)).statusCode() == 201);
    String id = booked[0].bodyAsJsonObject().getString("id");
    f.at(f.in(Duration.ofMinutes(5)));
    HttpResponse<Buffer>[] joined = new HttpResponse[1];
    Eventually.await("a join once Jibri answered", Duration.ofSeconds(10),
        () -> (joined[0] = f.join(carer.token(), id)).statusCode() == 200);
    assertEquals("jitsi", joined[0].bodyAsJsonObject().getString("backend"));
    return new Open(id, contact, carer, f);
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
    Principal admin = new Principal("test-admin", Role.ADMIN, EST, null, "test");
    long t0 = System.nanoTime();
    Gateway.await(b.services().contacts().service().transition(admin, c.contact(),
        org.kinlink.gateway.contacts.ContactsService.Transition.SUSPEND, new JsonObject().put("reason", "disclosure"), null, null));
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

  static String ready(Gateway node) {
    return JitsiNodes.ready(node);
  }
}
