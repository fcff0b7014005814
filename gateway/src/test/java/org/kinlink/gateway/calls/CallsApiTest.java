package org.kinlink.gateway.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.messaging.MessagingFixture;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.realtime.TestSocket;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.policy.model.ObligationType;

/** The call lifecycle over the real API, sockets and Redis, on the test clock. */
class CallsApiTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  private Gateway gateway;
  private CallsFixture f;

  @BeforeEach
  void fixture() {
    gateway = kinlink.gateway();
    gateway.services().calls().media().recorderAvailable(true);
    f = new CallsFixture(gateway, kinlink.client(), kinlink.clock());
  }

  @Test
  void aBookedCallIsScheduledListedForBothSidesPushedAndAudited() {
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    try (TestSocket carerSocket = TestSocket.signedIn(kinlink.vertx(), gateway, carer.token())) {
      JsonObject call = f.booked(mother.token(), contact, f.in(Duration.ofMinutes(60)), 30);
      assertEquals("SCHEDULED", call.getString("state"));
      assertEquals("PERMIT", call.getJsonObject("decision").getString("effect"));
      assertEquals(List.of("Test Prisoner", "Test CARER"), call.getJsonArray("participants").stream()
          .map(o -> ((JsonObject) o).getString("name")).toList());
      JsonObject pushed = carerSocket.next("call.state");
      assertEquals(call.getString("id"), pushed.getString("call_id"));
      assertEquals("SCHEDULED", pushed.getString("state"));

      for (SignedIn who : List.of(mother, carer)) {
        JsonObject list = AuthFixture.get(f.client, "/api/v1/calls", who.token()).bodyAsJsonObject();
        assertEquals(1, list.getJsonArray("items").size(), list.encode());
        assertTrue(list.containsKey("next_cursor"));
      }
      String officer = f.m.auth.staffToken(f.client, Role.OFFICER);
      JsonObject staffList = AuthFixture.get(f.client, "/api/v1/calls", officer).bodyAsJsonObject();
      assertEquals(call.getString("id"), staffList.getJsonArray("items").getJsonObject(0).getString("id"));
      assertEquals(1, f.audit("call.request").size());
      assertEquals("SCHEDULED", f.audit("call.request").get(0).getString("outcome"));

      // another establishment's staff: as if it did not exist
      String elsewhere = new MessagingFixture(gateway, f.client).auth.staffToken(f.client, Role.OFFICER);
      assertEquals(404, AuthFixture.get(f.client, "/api/v1/calls/" + call.getString("id"), elsewhere).statusCode());
      assertEquals(0, AuthFixture.get(f.client, "/api/v1/calls", elsewhere).bodyAsJsonObject().getJsonArray("items").size());
    }
  }

  @Test
  void staffApproveOrRejectWhenTheEstablishmentRequiresItAndOwnersCancel() {
    Gateway.await(f.calls().settings(f.m.auth.est, new CallSettings(LocalTime.of(8, 0), LocalTime.of(20, 0), 4, true)));
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    JsonObject first = f.booked(carer.token(), contact, f.in(Duration.ofMinutes(60)), 30);
    JsonObject second = f.booked(carer.token(), contact, f.in(Duration.ofMinutes(120)), 30);
    assertEquals("PENDING_APPROVAL", first.getString("state"));

    String officer = f.m.auth.staffToken(f.client, Role.OFFICER);
    HttpResponse<Buffer> notStaff = f.post(carer.token(), "/api/v1/calls/" + first.getString("id") + "/approve", null);
    assertEquals(403, notStaff.statusCode());
    HttpResponse<Buffer> approved = f.post(officer, "/api/v1/calls/" + first.getString("id") + "/approve",
        new JsonObject().put("reason", "checked"));
    assertEquals(200, approved.statusCode(), approved.bodyAsString());
    assertEquals("SCHEDULED", approved.bodyAsJsonObject().getString("state"));
    assertEquals(409, f.post(officer, "/api/v1/calls/" + first.getString("id") + "/approve", null).statusCode());

    HttpResponse<Buffer> noReason = f.post(officer, "/api/v1/calls/" + second.getString("id") + "/reject", new JsonObject());
    assertEquals(400, noReason.statusCode());
    HttpResponse<Buffer> rejected = f.post(officer, "/api/v1/calls/" + second.getString("id") + "/reject",
        new JsonObject().put("reason", "Wing locked down that afternoon"));
    assertEquals("REJECTED", rejected.bodyAsJsonObject().getString("state"));
    assertFalse(f.call(carer.token(), second.getString("id")).containsKey("reason"), "the carer is not told staff's reason");

    HttpResponse<Buffer> cancelled = f.post(mother.token(), "/api/v1/calls/" + first.getString("id") + "/cancel", null);
    assertEquals(200, cancelled.statusCode(), cancelled.bodyAsString());
    assertEquals("CANCELLED", cancelled.bodyAsJsonObject().getString("state"));
    assertEquals(409, f.post(mother.token(), "/api/v1/calls/" + first.getString("id") + "/cancel", null).statusCode());
    assertEquals(1, f.audit("call.approve").size());
    assertEquals("Wing locked down that afternoon",
        f.audit("call.reject").get(0).getJsonObject("details").getString("reason"));
    assertEquals(1, f.audit("call.cancel").size());
  }

  @Test
  void aFullSlotAClashAndCallHoursAreRefusedWithTheNextFreeSlots() {
    Gateway.await(f.calls().settings(f.m.auth.est, new CallSettings(LocalTime.of(8, 0), LocalTime.of(17, 0), 1, false)));
    SignedIn mother = f.m.mother();
    SignedIn other = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    SignedIn gran = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    String otherContact = f.m.contact(other.id(), gran.id(), "CARER", null);
    f.booked(mother.token(), contact, f.in(Duration.ofMinutes(60)), 30);

    HttpResponse<Buffer> full = f.book(other.token(), otherContact, f.in(Duration.ofMinutes(75)), 30);
    assertEquals(409, full.statusCode(), full.bodyAsString());
    assertEquals("SLOT_FULL", AuthFixture.errorCode(full));
    JsonArray free = full.bodyAsJsonObject().getJsonObject("error").getJsonArray("next_free");
    assertEquals(3, free.size(), full.bodyAsString());
    assertEquals(f.in(Duration.ofMinutes(90)).toString(), free.getJsonObject(0).getString("start"));

    // the mother herself is busy then, whatever the capacity
    Gateway.await(f.calls().settings(f.m.auth.est, new CallSettings(LocalTime.of(8, 0), LocalTime.of(17, 0), 5, false)));
    HttpResponse<Buffer> clash = f.book(carer.token(), contact, f.in(Duration.ofMinutes(80)), 30);
    assertEquals("CALL_CLASH", AuthFixture.errorCode(clash));
    assertTrue(clash.bodyAsJsonObject().getJsonObject("error").getString("message").contains("already has a call"));
    // the refused booking took back the place it had taken in the establishment before the clash was found
    assertEquals(1L, (long) Gateway.<Long>await(gateway.services().redis().call(c -> c.zcard(
        org.kinlink.gateway.redis.Keys.activeCallsOfEstablishment(f.m.auth.est)))));
    assertEquals(201, f.book(other.token(), otherContact, f.in(Duration.ofMinutes(75)), 30).statusCode(),
        "with room again, the other mother's call fits");

    HttpResponse<Buffer> late = f.book(mother.token(), contact, f.in(Duration.ofHours(7)), 30); // 17:00
    assertEquals(422, late.statusCode(), late.bodyAsString());
    assertEquals("OUTSIDE_CALL_HOURS", AuthFixture.errorCode(late));
    assertFalse(late.bodyAsJsonObject().getJsonObject("error").getJsonArray("next_free").isEmpty());

    HttpResponse<Buffer> bad = f.book(mother.token(), contact, f.in(Duration.ofMinutes(60)), 2);
    assertEquals(422, bad.statusCode());
    HttpResponse<Buffer> garbled = AuthFixture.post(f.client, "/api/v1/calls", mother.token(),
        new JsonObject().put("contact_id", contact).put("start", "tomorrow").put("duration", 30));
    assertEquals(400, garbled.statusCode());
    assertEquals("start", garbled.bodyAsJsonObject().getJsonObject("error").getString("field"));
  }

  @Test
  void aWeeklyCallLimitCountsTheCallsBookedThatWeekAndMessagesDoNotUseItUp() {
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", new JsonObject()
        .put("limits", new JsonObject().put("calls_per_week", 1).put("messages_per_day", 3)));
    // messages are counted apart from calls: sending some leaves the week's one call free
    for (int i = 0; i < 3; i++) {
      assertEquals(201, f.m.send(mother, contact, "limit-" + i, "hello " + i).statusCode());
    }
    f.booked(mother.token(), contact, f.in(Duration.ofMinutes(60)), 30);

    HttpResponse<Buffer> second = f.book(carer.token(), contact, f.in(Duration.ofMinutes(120)), 30);
    assertEquals(403, second.statusCode(), second.bodyAsString());
    assertEquals("CALL_NOT_ALLOWED", AuthFixture.errorCode(second));
    assertTrue(second.bodyAsString().contains("LIMIT_REACHED"), "the stable reason code a page translates: " + second.bodyAsString());
    // and the day's messages are used up on their own
    HttpResponse<Buffer> fourth = f.m.send(mother, contact, "limit-3", "one too many");
    assertEquals(403, fourth.statusCode(), fourth.bodyAsString());
  }

  @Test
  void policyRefusesAChildCallForAPrisonerWithoutClearanceAndANeverTogetherParticipant() {
    var noClearance = f.m.auth.prisoner("2468", org.kinlink.gateway.people.Clearance.NONE, java.util.EnumSet.noneOf(
        org.kinlink.gateway.people.PrisonerFlag.class));
    SignedIn carer = f.m.person(PersonKind.CARER);
    String child = f.m.child(carer);
    String contact = f.m.contact(noClearance.id(), child, "CHILD", null);
    HttpResponse<Buffer> r = f.book(f.m.auth.staffToken(f.client, Role.OFFICER), contact, f.in(Duration.ofMinutes(60)), 30);
    assertEquals(403, r.statusCode(), r.bodyAsString());
    assertEquals("CALL_NOT_ALLOWED", AuthFixture.errorCode(r));
    assertFalse(r.bodyAsString().contains("CHILD_CONTACT_CLEARANCE"), "the safe answer names no rule");
    assertEquals("DENIED", f.audit("call.request").get(0).getString("outcome"));

    SignedIn mother = f.m.mother();
    SignedIn lead = f.m.person(PersonKind.SCHOOL);
    SignedIn father = f.m.person(PersonKind.PARENT);
    String daughter = f.m.child(lead);
    f.m.contact(mother.id(), lead.id(), "SCHOOL", null);
    f.m.contact(mother.id(), father.id(), "PARENT", null);
    String childContact = f.m.contact(mother.id(), daughter, "CHILD", new JsonObject()
        .put("never_with", new JsonArray().add("person:" + father.id())));
    HttpResponse<Buffer> withFather = f.book(lead.token(), childContact, f.in(Duration.ofMinutes(60)), 30, father.id());
    assertEquals(403, withFather.statusCode(), withFather.bodyAsString());
  }

  @Test
  void aRecordedCallIsRefusedWhileTheRecorderIsDown() {
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    assertTrue(f.calls().media().enforceableNow(f.m.auth.est).contains(ObligationType.RECORD));
    f.calls().media().recorderAvailable(false);
    HttpResponse<Buffer> r = f.book(mother.token(), contact, f.in(Duration.ofMinutes(60)), 30);
    assertEquals(403, r.statusCode(), r.bodyAsString());
    f.calls().media().recorderAvailable(true);
    assertEquals(201, f.book(mother.token(), contact, f.in(Duration.ofMinutes(60)), 30).statusCode());
  }

  @Test
  void joiningIsAFreshDecisionThatOpensTheCallAndMintsTicketsTooEarlyIsRefused() {
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    JsonObject call = f.booked(mother.token(), contact, f.in(Duration.ofMinutes(8)), 30);
    String id = call.getString("id");
    HttpResponse<Buffer> early = f.join(mother.token(), id);
    assertEquals(409, early.statusCode());
    assertEquals("CALL_NOT_OPEN", AuthFixture.errorCode(early));

    f.at(f.in(Duration.ofMinutes(4)));
    JsonObject join = f.joined(mother.token(), id);
    assertEquals("embedded", join.getString("backend"));
    assertTrue(join.getJsonObject("join").getString("ticket").startsWith("kct_"));
    assertNotNull(join.getJsonObject("join").getJsonArray("ice_servers"));
    assertEquals("PRISONER", join.getJsonObject("join").getString("role"));
    assertEquals("OPEN", f.call(mother.token(), id).getString("state"));

    assertEquals(List.of("PERMIT"), f.audit("call.join").stream().map(e -> e.getString("outcome")).toList());
  }

  @Test
  void aSuspensionBetweenBookingAndJoiningIsSeenAtTheDoor() {
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    String id = f.booked(mother.token(), contact, f.in(Duration.ofMinutes(8)), 30).getString("id");
    Principal admin = new Principal("test-admin", Role.ADMIN, f.m.auth.est, null, "test");
    Gateway.await(gateway.services().contacts().service().transition(admin, contact,
        org.kinlink.gateway.contacts.ContactsService.Transition.SUSPEND, new JsonObject().put("reason", "disclosure"), null, null));
    f.at(f.in(Duration.ofMinutes(4)));
    HttpResponse<Buffer> refused = f.join(carer.token(), id);
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertEquals("JOIN_REFUSED", AuthFixture.errorCode(refused));
    assertFalse(refused.bodyAsString().contains("disclosure"));
    assertEquals(List.of("DENY"), f.audit("call.join").stream().map(e -> e.getString("outcome")).toList());
  }

  @Test
  void aSupervisedCallRelaysNothingBetweenMotherAndChildUntilTheLeadIsInAndHoldsWhenTheyLeave() {
    var s = f.school();
    JsonObject call = f.booked(s.lead().token(), s.childContact(), f.in(Duration.ofMinutes(10)), 30);
    String id = call.getString("id");
    f.at(f.in(Duration.ofMinutes(9)));
    String link = f.link(s.lead().token(), id);
    JsonObject childJoin = f.redeem(link, CallsFixture.device()).bodyAsJsonObject();
    assertEquals("CHILD", childJoin.getJsonObject("join").getString("role"), childJoin.encode());
    JsonObject motherJoin = f.joined(s.mother().token(), id);
    try (TestSocket child = CallsFixture.childInCall(kinlink.vertx(), gateway, childJoin);
         TestSocket mother = CallsFixture.inCall(kinlink.vertx(), gateway, s.mother().token(), motherJoin)) {
      CallsFixture.signal(mother, id, s.child(), "m1");
      JsonObject refused = mother.next("error");
      assertEquals("SIGNAL_REFUSED", refused.getJsonObject("error").getString("code"));
      // no media flows between mother and child yet: the call is not LIVE to anyone, it waits for the lead by name
      JsonObject waiting = f.call(s.mother().token(), id);
      assertEquals("OPEN", waiting.getString("state"), waiting.encode());
      assertEquals(List.of(s.lead().name()), waiting.getJsonArray("waiting_for").getList());
      JsonObject console = AuthFixture.get(f.client, "/api/v1/live-calls", f.m.security()).bodyAsJsonObject()
          .getJsonArray("items").stream().map(JsonObject.class::cast).filter(c -> c.getString("id").equals(id)).findFirst().orElseThrow();
      assertEquals("OPEN", console.getString("state"));
      assertEquals("Waiting for " + s.lead().name(), console.getString("status_text"));

      JsonObject leadJoin = f.joined(s.lead().token(), id);
      assertEquals("SUPERVISOR", leadJoin.getJsonObject("join").getString("role"));
      TestSocket lead = CallsFixture.inCall(kinlink.vertx(), gateway, s.lead().token(), leadJoin);
      JsonObject flowing = f.call(s.mother().token(), id);
      assertEquals("LIVE", flowing.getString("state"), flowing.encode());
      assertFalse(flowing.containsKey("waiting_for"), flowing.encode());
      JsonObject peers = mother.next(fr -> "call.peers".equals(fr.getString("type")) && !fr.getBoolean("held"));
      assertTrue(peers.getJsonArray("peers").stream().map(JsonObject.class::cast)
          .anyMatch(p -> p.getString("id").equals(s.child()) && p.getBoolean("connect")), peers.encode());
      CallsFixture.signal(mother, id, s.child(), "m2");
      JsonObject relayed = child.next("call.signal");
      assertEquals(s.mother().id(), relayed.getString("from"));
      assertEquals("v=0 test m2", relayed.getJsonObject("data").getString("sdp"));

      lead.send(new JsonObject().put("type", "call.leave").put("call_id", id));
      lead.next("call.left");
      assertTrue(mother.next(fr -> "call.peers".equals(fr.getString("type")) && fr.getBoolean("held")).getBoolean("held"));
      assertEquals(List.of(s.lead().name()), f.call(s.mother().token(), id).getJsonArray("waiting_for").getList(),
          "while the lead is away the call says it waits for them again");
      CallsFixture.signal(mother, id, s.child(), "m3");
      assertEquals("SIGNAL_REFUSED", mother.next("error").getJsonObject("error").getString("code"));

      // gone too long: the call ends for everyone, with safe words
      f.clock.advance(Calls.SUPERVISOR_ABSENCE.plusSeconds(1));
      Gateway.await(f.calls().sweep());
      JsonObject ended = child.next(fr -> "call.state".equals(fr.getString("type")) && "ENDED".equals(fr.getString("state")));
      assertEquals("SUPERVISOR_ABSENT", ended.getString("why"));
      assertEquals("ENDED", mother.next(fr -> "call.state".equals(fr.getString("type"))
          && "ENDED".equals(fr.getString("state"))).getString("state"));
      lead.close();
    }
  }

  @Test
  void aJoinLinkIsRefusedOnASecondDeviceBeforeItsWindowAndAfterIt() {
    var s = f.school();
    JsonObject call = f.booked(s.lead().token(), s.childContact(), f.in(Duration.ofMinutes(60)), 30);
    String id = call.getString("id");
    assertEquals(403, f.post(s.mother().token(), "/api/v1/calls/" + id + "/join-links", null).statusCode(),
        "the prisoner cannot make a link for the child");
    String link = f.link(s.lead().token(), id);
    HttpResponse<Buffer> early = f.redeem(link, CallsFixture.device());
    assertEquals(409, early.statusCode(), early.bodyAsString());
    assertEquals("TOO_EARLY", AuthFixture.errorCode(early));

    f.at(f.in(Duration.ofMinutes(58)));
    String tablet = CallsFixture.device();
    assertEquals(200, f.redeem(link, tablet).statusCode());
    HttpResponse<Buffer> other = f.redeem(link, CallsFixture.device());
    assertEquals(410, other.statusCode());
    assertEquals("LINK_USED", AuthFixture.errorCode(other));
    assertEquals(200, f.redeem(link, tablet).statusCode(), "the same tablet may come back (a reload)");
    assertEquals(404, f.redeem("not-a-real-link-token", tablet).statusCode());

    f.at(f.in(Duration.ofMinutes(91)));
    HttpResponse<Buffer> late = f.redeem(link, tablet);
    assertEquals(410, late.statusCode(), late.bodyAsString());
  }

  @Test
  void staffTerminateEndsTheCallForEveryoneAndTheAuditSaysWhoWhenWhy() {
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    JsonObject call = f.booked(mother.token(), contact, f.in(Duration.ofMinutes(5)), 30);
    String id = call.getString("id");
    f.at(f.in(Duration.ofMinutes(5)));
    try (TestSocket m = CallsFixture.inCall(kinlink.vertx(), gateway, mother.token(), f.joined(mother.token(), id));
         TestSocket c = CallsFixture.inCall(kinlink.vertx(), gateway, carer.token(), f.joined(carer.token(), id))) {
      m.next(fr -> "call.state".equals(fr.getString("type")) && "LIVE".equals(fr.getString("state")));
      String security = f.m.security();
      HttpResponse<Buffer> t = f.post(security, "/api/v1/calls/" + id + "/terminate",
          new JsonObject().put("reason", "Intelligence: planned conveyance"));
      assertEquals(200, t.statusCode(), t.bodyAsString());
      for (TestSocket s : List.of(m, c)) {
        JsonObject ended = s.next(fr -> "call.state".equals(fr.getString("type")) && "ENDED".equals(fr.getString("state")));
        assertEquals("ENDED_BY_STAFF", ended.getString("why"));
        assertEquals("The call was ended by staff.", ended.getString("why_text"));
        assertFalse(ended.encode().contains("conveyance"));
      }
      JsonObject entry = f.audit("call.end").get(0);
      assertEquals("ENDED_BY_STAFF", entry.getString("outcome"));
      assertEquals("SECURITY", entry.getString("actor_role"));
      assertEquals("Intelligence: planned conveyance", entry.getJsonObject("details").getString("reason"));
      assertNotNull(entry.getString("at"));
      assertEquals(409, f.post(security, "/api/v1/calls/" + id + "/terminate", new JsonObject().put("reason", "again")).statusCode());
      CallsFixture.signal(m, id, carer.id(), "after");
      assertEquals("NOT_IN_CALL", m.next("error").getJsonObject("error").getString("code"));
    }
  }

  @Test
  void theCallEndsAtEndByAfterAOneMinuteWarning() {
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    JsonObject call = f.booked(mother.token(), contact, f.in(Duration.ofMinutes(5)), 15);
    String id = call.getString("id");
    f.at(f.in(Duration.ofMinutes(5)));
    try (TestSocket m = CallsFixture.inCall(kinlink.vertx(), gateway, mother.token(), f.joined(mother.token(), id))) {
      f.at(f.in(Duration.ofMinutes(19).plusSeconds(5)));
      Gateway.await(f.calls().sweep());
      assertEquals(f.in(Duration.ofMinutes(20)).toString(), m.next("call.warning").getString("ends_at"));
      f.at(f.in(Duration.ofMinutes(20)));
      Gateway.await(f.calls().sweep());
      assertEquals("TIME_UP", m.next(fr -> "call.state".equals(fr.getString("type")) && "ENDED".equals(fr.getString("state")))
          .getString("why"));
    }
  }

  @Test
  void securityMonitorsHiddenButNeverAPrivilegedCall() {
    var s = f.school();
    JsonObject call = f.booked(s.lead().token(), s.childContact(), f.in(Duration.ofMinutes(5)), 30);
    String id = call.getString("id");
    f.at(f.in(Duration.ofMinutes(5)));
    String security = f.m.security();
    try (TestSocket mother = CallsFixture.inCall(kinlink.vertx(), gateway, s.mother().token(), f.joined(s.mother().token(), id));
         TestSocket lead = CallsFixture.inCall(kinlink.vertx(), gateway, s.lead().token(), f.joined(s.lead().token(), id))) {
      assertEquals(400, f.post(security, "/api/v1/calls/" + id + "/monitor", new JsonObject()).statusCode(), "a reason is required");
      HttpResponse<Buffer> mon = f.post(security, "/api/v1/calls/" + id + "/monitor", new JsonObject().put("reason", "routine check"));
      assertEquals(200, mon.statusCode(), mon.bodyAsString());
      assertEquals("MONITOR", mon.bodyAsJsonObject().getJsonObject("join").getString("role"));
      try (TestSocket monitor = CallsFixture.inCall(kinlink.vertx(), gateway, security, mon.bodyAsJsonObject())) {
        JsonObject motherPeers = mother.next(fr -> "call.peers".equals(fr.getString("type"))
            && fr.getJsonArray("peers").stream().map(JsonObject.class::cast).anyMatch(p -> "MONITOR".equals(p.getString("role"))));
        assertNotNull(motherPeers);
        JsonObject leadPeers = lead.next("call.peers");
        assertTrue(leadPeers.getJsonArray("peers").stream().map(JsonObject.class::cast)
            .noneMatch(p -> "MONITOR".equals(p.getString("role"))), "hidden from everyone but the kiosk: " + leadPeers.encode());
        String monitorId = mon.bodyAsJsonObject().getJsonObject("join").getString("participant_id");
        CallsFixture.signal(lead, id, monitorId, "l1");
        assertEquals("SIGNAL_REFUSED", lead.next("error").getJsonObject("error").getString("code"));
        JsonObject live = AuthFixture.get(f.client, "/api/v1/live-calls", security).bodyAsJsonObject();
        assertEquals(1, live.getJsonArray("items").size(), live.encode());
        assertEquals(3, live.getJsonArray("items").getJsonObject(0).getJsonArray("present").size(), live.encode());
      }
    }
    assertEquals("routine check", f.audit("call.monitor").get(0).getJsonObject("details").getString("reason"));

    SignedIn legalMother = f.m.mother();
    SignedIn solicitor = f.m.person(PersonKind.LEGAL);
    String legal = f.m.contact(legalMother.id(), solicitor.id(), "LEGAL", null);
    JsonObject privileged = f.booked(legalMother.token(), legal, f.in(Duration.ofMinutes(8)), 30);
    f.at(f.in(Duration.ofMinutes(8)));
    f.joined(legalMother.token(), privileged.getString("id"));
    HttpResponse<Buffer> refused = f.post(security, "/api/v1/calls/" + privileged.getString("id") + "/monitor",
        new JsonObject().put("reason", "curious"));
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertEquals("MONITOR_REFUSED", AuthFixture.errorCode(refused));
    assertEquals("DENY", f.audit("call.monitor").get(1).getString("outcome"));
  }

  @Test
  void anInterPrisonCallNeedsBothApprovalsAndTheOtherEstablishmentsSecurityMayEndIt() {
    SignedIn mother = f.m.mother();
    MessagingFixture send = new MessagingFixture(gateway, f.client);
    SignedIn father = send.mother();
    String ab = f.m.contact(mother.id(), f.m.linkedParent(father.id()), "PARENT", null);
    send.contact(father.id(), send.linkedParent(mother.id()), "PARENT", null);
    JsonObject call = f.booked(mother.token(), ab, f.in(Duration.ofMinutes(5)), 30);
    String id = call.getString("id");
    assertEquals("PENDING_APPROVAL", call.getString("state"));
    String styal = f.m.auth.staffToken(f.client, Role.OFFICER);
    String sendOfficer = send.auth.staffToken(f.client, Role.OFFICER);
    assertEquals("PENDING_APPROVAL", f.post(styal, "/api/v1/calls/" + id + "/approve", null).bodyAsJsonObject().getString("state"),
        "one establishment's approval is not enough");
    assertEquals("SCHEDULED", f.post(sendOfficer, "/api/v1/calls/" + id + "/approve", null).bodyAsJsonObject().getString("state"));

    f.at(f.in(Duration.ofMinutes(5)));
    try (TestSocket m = CallsFixture.inCall(kinlink.vertx(), gateway, mother.token(), f.joined(mother.token(), id));
         TestSocket d = CallsFixture.inCall(kinlink.vertx(), gateway, father.token(), f.joined(father.token(), id))) {
      m.next(fr -> "call.state".equals(fr.getString("type")) && "LIVE".equals(fr.getString("state")));
      String sendSecurity = send.security();
      JsonObject live = AuthFixture.get(f.client, "/api/v1/live-calls", sendSecurity).bodyAsJsonObject();
      assertEquals(id, live.getJsonArray("items").getJsonObject(0).getString("id"), "in both security consoles");
      assertEquals(200, f.post(sendSecurity, "/api/v1/calls/" + id + "/terminate",
          new JsonObject().put("reason", "Send security decision")).statusCode());
      for (TestSocket s : List.of(m, d)) {
        assertEquals("ENDED_BY_STAFF", s.next(fr -> "call.state".equals(fr.getString("type"))
            && "ENDED".equals(fr.getString("state"))).getString("why"));
      }
    }
    org.kinlink.gateway.support.Eventually.await("both audits", Duration.ofSeconds(5),
        () -> !f.audit("call.end").isEmpty() && !send.audit("call.end").isEmpty());
  }
}
