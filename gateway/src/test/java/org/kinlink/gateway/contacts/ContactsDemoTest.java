package org.kinlink.gateway.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.demo.DemoIds.*;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.demo.DemoData;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.policy.Decision;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.ObligationType;

/**
 * The demo contacts of docs/cli.md exist after the demo load (twice is the same as once) and their
 * policies tell docs/domain.md's stories. Runs on its own Redis database (the extension gives each class one): the demo ids are fixed.
 */
class ContactsDemoTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Gateway gateway;
  static Contacts contacts;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    Gateway.await(DemoData.loadOnce(gateway.services().demoParts()));
    Gateway.await(DemoData.loadOnce(gateway.services().demoParts()));
    contacts = gateway.services().contacts();
  }

  static Principal staff(String establishment) {
    return new Principal("st-test", Role.OFFICER, establishment, null, "s");
  }

  static List<JsonObject> contactsOf(String prisonerId, String establishment) {
    JsonArray list = new JsonArray(Gateway.await(contacts.service().list(staff(establishment), prisonerId, null, 200, null))
        .items());
    return list.stream().map(JsonObject.class::cast).toList();
  }

  static String contactWith(String prisonerId, String establishment, String partyId) {
    return contactsOf(prisonerId, establishment).stream().filter(c -> partyId.equals(c.getJsonObject("person").getString("id")))
        .findFirst().orElseThrow().getString("id");
  }

  /** The next Monday (UK) at this hour. */
  static Instant monday(int hour) {
    LocalDate d = LocalDate.ofInstant(kinlink.clock().instant(), UsageCounters.LONDON).with(TemporalAdjusters.next(DayOfWeek.MONDAY));
    return d.atTime(hour, 0).atZone(UsageCounters.LONDON).toInstant();
  }

  static Decision decide(Action action, String contactId, ContactDecisions.As as, Principal p, Instant at,
      List<String> participants, String text) {
    return Gateway.await(contacts.decisions().decide(new ContactDecisions.Ask(action, contactId, p, as, at, participants,
        null, text, false, action.isMessage() ? ContactDecisions.MESSAGE_OBLIGATIONS : ContactDecisions.CALL_OBLIGATIONS)))
        .decision();
  }

  @Test
  void everyDemoContactIsThereOnceAndApproved() {
    assertEquals(List.of(PERSON_CARER, PERSON_SON, PERSON_DSL, PERSON_DAUGHTER, PRISONER_E2468KL),
        contactsOf(PRISONER_A1234BC, STYAL).stream().map(c -> c.getJsonObject("person").getString("id")).toList());
    assertEquals(List.of(PERSON_SOCIAL_WORKER, PERSON_SOLICITOR),
        contactsOf(PRISONER_C3456FG, EASTWOOD_PARK).stream().map(c -> c.getJsonObject("person").getString("id")).toList());
    assertEquals(List.of(PERSON_SOCIAL_WORKER),
        contactsOf(PRISONER_D7890HJ, SEND).stream().map(c -> c.getJsonObject("person").getString("id")).toList());
    assertEquals(List.of(PRISONER_A1234BC),
        contactsOf(PRISONER_E2468KL, SEND).stream().map(c -> c.getJsonObject("person").getString("id")).toList());
    for (String[] p : new String[][] {{PRISONER_A1234BC, STYAL}, {PRISONER_C3456FG, EASTWOOD_PARK}, {PRISONER_D7890HJ, SEND}}) {
      assertTrue(contactsOf(p[0], p[1]).stream().allMatch(c -> "APPROVED".equals(c.getString("state"))));
    }
    JsonObject clearance = Gateway.await(contacts.service().clearance().get(staff(SEND), PRISONER_D7890HJ));
    assertEquals("NONE", clearance.getString("clearance"));
    assertEquals(1, clearance.getInteger("version"));
  }

  @Test
  void jadesCallIsAtSchoolSupervisedAndNeverWithHerFather() {
    String daughter = contactWith(PRISONER_A1234BC, STYAL, PERSON_DAUGHTER);
    Decision atSchool = decide(Action.JOIN_CALL, daughter, ContactDecisions.As.PRISONER, null, monday(10),
        List.of(PERSON_DSL), null);
    assertEquals(Effect.PERMIT, atSchool.effect(), atSchool.toString());
    assertTrue(atSchool.requires(ObligationType.SUPERVISOR_PRESENT));
    assertTrue(atSchool.requires(ObligationType.RECORD));
    assertEquals(Effect.DENY, decide(Action.JOIN_CALL, daughter, ContactDecisions.As.PRISONER, null, monday(18),
        List.of(PERSON_DSL), null).effect(), "after school hours");
    Decision withFather = decide(Action.JOIN_CALL, daughter, ContactDecisions.As.PRISONER, null, monday(10),
        List.of(PERSON_DSL, PRISONER_E2468KL), null);
    assertEquals(Effect.DENY, withFather.effect());
    assertTrue(withFather.hasReason("NEVER_TOGETHER"), withFather.toString());
    Decision schoolName = decide(Action.SEND_MESSAGE, contactWith(PRISONER_A1234BC, STYAL, PERSON_DSL),
        ContactDecisions.As.PARTY, null, monday(10), List.of(), "She did well at Oakfield Primary today");
    assertEquals(Effect.REVIEW, schoolName.effect());
    assertTrue(schoolName.hasReason("SENSITIVE_TERM"));
  }

  @Test
  void legalCallsArePrivilegedAndTheOtherStoriesHold() {
    String solicitor = contactWith(PRISONER_C3456FG, EASTWOOD_PARK, PERSON_SOLICITOR);
    Decision legal = decide(Action.JOIN_CALL, solicitor, ContactDecisions.As.PRISONER, null, monday(11), List.of(), null);
    assertEquals(Effect.PERMIT, legal.effect(), legal.toString());
    assertTrue(legal.requires(ObligationType.NO_RECORDING));
    Principal security = new Principal("st-sec", Role.SECURITY, EASTWOOD_PARK, null, "s");
    Decision monitor = decide(Action.MONITOR_CALL, solicitor, ContactDecisions.As.PRINCIPAL, security, monday(11), List.of(), null);
    assertEquals(Effect.DENY, monitor.effect());
    assertTrue(monitor.hasReason("PRIVILEGED"));

    Decision interPrison = decide(Action.JOIN_CALL, contactWith(PRISONER_A1234BC, STYAL, PRISONER_E2468KL),
        ContactDecisions.As.PRISONER, null, monday(11), List.of(), null);
    assertEquals(Effect.PERMIT, interPrison.effect(), interPrison.toString());
    assertTrue(interPrison.requires(ObligationType.RECORD));

    String interPrisonId = contactWith(PRISONER_A1234BC, STYAL, PRISONER_E2468KL);
    var redis = gateway.services().redis();
    List<String> seqs = Gateway.await(redis.call(c -> c.zrange(Keys.auditByContact(Keys.AUDIT, interPrisonId), 0, -1)));
    assertEquals(2, seqs.size(), "proposed and approved");
    for (String seq : seqs) {
      JsonObject entry = new JsonObject(Gateway.<String>await(redis.call(c -> c.hget(Keys.auditEntries(Keys.AUDIT), seq))));
      assertEquals(List.of(STYAL, SEND), entry.getJsonObject("details").getJsonArray("establishments").getList(),
          "both prisons' security see changes to an inter-prison contact");
    }

    Decision social = decide(Action.SEND_MESSAGE, contactWith(PRISONER_D7890HJ, SEND, PERSON_SOCIAL_WORKER),
        ContactDecisions.As.PRISONER, null, monday(11), List.of(), "When is the next review?");
    assertEquals(Effect.PERMIT, social.effect(), "no child involved: clearance NONE does not stop her social worker");

    Decision son = decide(Action.SEND_PHOTO, contactWith(PRISONER_A1234BC, STYAL, PERSON_SON), ContactDecisions.As.PRISONER,
        null, monday(17), List.of(), "a drawing");
    assertEquals(Effect.REVIEW, son.effect(), son.reasons().stream().map(r -> r.rule()).collect(Collectors.joining(",")));
  }
}
