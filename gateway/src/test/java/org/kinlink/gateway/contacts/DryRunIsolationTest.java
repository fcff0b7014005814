package org.kinlink.gateway.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.contacts.ContactsFixture.errorCode;
import static org.kinlink.gateway.contacts.ContactsFixture.policy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.people.Clearance;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.people.PrisonerFlag;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * The staff dry run ({@code POST /policy/evaluate}) shows a prison only its own records, laid out as
 * in the demo: a mother at "Styal" with a supervised child contact (never with the father) and an
 * inter-prison contact with the father at "Send"; an unrelated prisoner at "Eastwood Park".
 */
class DryRunIsolationTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Gateway gateway;
  static AuthFixture styal;
  static AuthFixture send;
  static AuthFixture eastwood;
  static Prisoner mother;
  static Prisoner father;
  static Prisoner sendNeighbour;
  static Prisoner eastwoodPrisoner;
  static PersonOutside jade;
  static String fathersContact;
  static String mothersContactWithFather;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    styal = new AuthFixture(gateway);
    send = new AuthFixture(gateway);
    eastwood = new AuthFixture(gateway);
    mother = styal.prisoner("2580", Clearance.SUPERVISED, java.util.EnumSet.of(PrisonerFlag.MBU));
    father = send.prisoner("9753");
    sendNeighbour = send.prisoner("1111");
    eastwoodPrisoner = eastwood.prisoner("1357", Clearance.WRITTEN, java.util.EnumSet.noneOf(PrisonerFlag.class));
    jade = new PersonOutside("pe-" + UUID.randomUUID(), PersonKind.CHILD, "Jade Secretchild (11)", null, null, null,
        true, null, List.of(styal.est), Instant.now());
    Gateway.await(gateway.services().directory().createPerson(jade));
    // Styal registers the father as a person linked to his prisoner record at Send
    PersonOutside fatherAsPerson = new PersonOutside("pe-" + UUID.randomUUID(), PersonKind.PARENT, "Father (Send)", null,
        null, null, true, father.id(), List.of(styal.est), Instant.now());
    Gateway.await(gateway.services().directory().createPerson(fatherAsPerson));

    Vertx vertx = kinlink.vertx();
    ContactsFixture f = new ContactsFixture(styal, AuthFixture.client(vertx, gateway));
    String officer = styal.staffToken(f.client, Role.OFFICER);
    JsonObject jadesPolicy = policy("PENDING", "CHILD", "SUPERVISED", "VIDEO")
        .put("supervisor", new JsonObject().put("any_of", new JsonArray().add("SCHOOL")))
        .put("windows", new JsonArray().add(new JsonObject().put("days", new JsonArray(List.of("MON", "TUE", "WED", "THU", "FRI")))
            .put("from", "09:00").put("to", "15:00")))
        .put("never_with", new JsonArray().add(father.prisonNumber()));
    f.approved(officer, f.created(officer, mother.id(), jade.id(), "CHILD", jadesPolicy).getString("id"));
    JsonObject withFather = policy("PENDING", "PARENT", "RECORDED", "MESSAGE", "VIDEO")
        .put("content", new JsonObject().put("sensitive_terms", new JsonArray().add("Brook Street")));
    mothersContactWithFather = f.created(officer, mother.id(), fatherAsPerson.id(), "PARENT", withFather).getString("id");
    f.approved(officer, mothersContactWithFather);

    ContactsFixture s = new ContactsFixture(send, f.client);
    String sendOfficer = send.staffToken(s.client, Role.OFFICER);
    fathersContact = s.created(sendOfficer, father.id(), mother.id(), "PARENT",
        policy("PENDING", "PARENT", "RECORDED", "MESSAGE", "VIDEO")).getString("id");
    s.approved(sendOfficer, fathersContact);
  }

  static JsonObject call(String contact, JsonArray participants) {
    return new JsonObject().put("contact_id", contact).put("action", "JOIN_CALL").put("duration", "PT20M")
        .put("participants", participants);
  }

  @Test
  void anotherPrisonsChildOrPrisonerAnswersLikeOneThatDoesNotExist(Vertx vertx) {
    ContactsFixture s = new ContactsFixture(send, AuthFixture.client(vertx, gateway));
    String security = send.staffToken(s.client, Role.SECURITY);

    HttpResponse<Buffer> nobody = s.evaluate(security, call(fathersContact, new JsonArray().add("pe-nobody")));
    assertEquals(422, nobody.statusCode(), nobody.bodyAsString());
    for (String other : List.of(jade.id(), eastwoodPrisoner.id(), eastwoodPrisoner.prisonNumber())) {
      HttpResponse<Buffer> r = s.evaluate(security, call(fathersContact, new JsonArray().add(other)));
      assertEquals(422, r.statusCode(), r.bodyAsString());
      assertEquals("UNKNOWN_PARTICIPANT", errorCode(r));
      assertEquals(nobody.bodyAsJsonObject().getJsonObject("error").getString("message").replace("pe-nobody", other),
          r.bodyAsJsonObject().getJsonObject("error").getString("message"), "the same answer as for nobody");
      assertFalse(r.bodyAsString().contains("Secretchild"));
      assertFalse(r.bodyAsString().contains("WRITTEN"), "nothing of Eastwood Park's prisoner");
    }
  }

  @Test
  void theOtherSideOfAnInterPrisonContactShowsOnlyWhatThatSideMaySee(Vertx vertx) {
    ContactsFixture s = new ContactsFixture(send, AuthFixture.client(vertx, gateway));
    String security = send.staffToken(s.client, Role.SECURITY);
    JsonObject message = new JsonObject().put("contact_id", fathersContact).put("action", "SEND_MESSAGE")
        .put("content", "I will be at Brook Street when I get out");

    HttpResponse<Buffer> r = s.evaluate(security, message);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("REVIEW", body.getJsonObject("decision").getString("effect"), "Styal's sensitive term still applies");
    assertFalse(r.bodyAsString().contains("Brook Street"), "but Send is not told Styal's terms: " + r.bodyAsString());
    assertTrue(body.getJsonObject("decision").getJsonArray("reasons").stream().map(JsonObject.class::cast)
        .anyMatch(x -> x.getBoolean("other_establishment", false)));
    assertEquals(Map.of(fathersContact, 2), body.getJsonObject("policy_versions").getMap(), "Send's contact only");
    JsonObject mothersFacts = body.getJsonObject("facts").getJsonArray("prisoners").stream().map(JsonObject.class::cast)
        .filter(p -> styal.est.equals(p.getString("establishment"))).findFirst().orElseThrow();
    assertFalse(mothersFacts.containsKey("clearance"), "her clearance is Styal's: " + mothersFacts);
    assertFalse(r.bodyAsString().contains("SUPERVISED"));
    assertFalse(r.bodyAsString().contains(mothersContactWithFather));

    // naming the other side as a participant is allowed (by prison number too), with the same limits
    HttpResponse<Buffer> named = s.evaluate(security, call(fathersContact, new JsonArray().add(mother.prisonNumber())));
    assertEquals(200, named.statusCode(), named.bodyAsString());
    assertFalse(named.bodyAsString().contains("SUPERVISED"));
    assertFalse(named.bodyAsString().contains("Secretchild"));

    // Styal, asking the same about its own contact, sees its own staff texts
    ContactsFixture f = new ContactsFixture(styal, s.client);
    String styalOfficer = styal.staffToken(f.client, Role.OFFICER);
    HttpResponse<Buffer> own = f.evaluate(styalOfficer, message.copy().put("contact_id", mothersContactWithFather));
    assertTrue(own.bodyAsString().contains("Brook Street"), own.bodyAsString());
  }

  @Test
  void threePrisonersInOneQuestionIsABadRequestNotAServerError(Vertx vertx) {
    ContactsFixture s = new ContactsFixture(send, AuthFixture.client(vertx, gateway));
    String officer = send.staffToken(s.client, Role.OFFICER);
    HttpResponse<Buffer> r = s.evaluate(officer, call(fathersContact,
        new JsonArray().add(mother.prisonNumber()).add(sendNeighbour.prisonNumber())));
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertEquals("TOO_MANY_PRISONERS", errorCode(r));
    assertEquals("participants", r.bodyAsJsonObject().getJsonObject("error").getString("field"));
    assertTrue(r.bodyAsJsonObject().getJsonObject("error").getString("message").contains("at most 2 prisoners"));
    // and the other shapes of bad input the attack found: each a 400 naming its field
    for (JsonObject bad : List.of(call(fathersContact, new JsonArray()).put("duration", "PT9999999999999H"),
        call(fathersContact, new JsonArray()).put("duration", "PT25H"),
        call(fathersContact, new JsonArray()).put("at", "-999999999-01-01T00:00:00Z"),
        call(fathersContact, new JsonArray()).put("at", "+999999999-12-31T23:59:59Z"))) {
      HttpResponse<Buffer> answer = s.evaluate(officer, bad);
      assertEquals(400, answer.statusCode(), bad + " -> " + answer.bodyAsString());
      assertTrue(Set.of("duration", "at").contains(answer.bodyAsJsonObject().getJsonObject("error").getString("field")),
          answer.bodyAsString());
    }
  }
}
