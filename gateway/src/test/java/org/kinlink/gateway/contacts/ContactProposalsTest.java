package org.kinlink.gateway.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.contacts.ContactsFixture.errorCode;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * Proposals reveal nothing about other establishments' people, one live contact per prisoner and
 * person holds under concurrency, retries are recognised whatever the JSON member order, and lists,
 * paths and summaries use prison numbers, names and {items, next_cursor}: through the real API.
 */
class ContactProposalsTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Gateway gateway;
  static AuthFixture styal;
  static AuthFixture send;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    styal = new AuthFixture(gateway);
    send = new AuthFixture(gateway);
  }

  static ContactsFixture fixture(Vertx vertx) {
    return new ContactsFixture(styal, AuthFixture.client(vertx, gateway));
  }

  static JsonObject described(String name) {
    return new JsonObject().put("relationship", "CARER").put("name", name).put("how_to_reach", "07700 900123");
  }

  @Test
  void aPrisonerProposesByWhoThePersonIsAndLearnsNothingAboutAnyRecord(Vertx vertx) {
    ContactsFixture f = fixture(vertx);
    var me = f.prisoner();
    PersonOutside elsewhere = send.person(PersonKind.CARER, null);

    HttpResponse<Buffer> real = f.post("/api/v1/contacts", me.token(), described(elsewhere.name()));
    HttpResponse<Buffer> madeUp = f.post("/api/v1/contacts", me.token(), described("Nobody Atall"));
    assertEquals(201, real.statusCode(), real.bodyAsString());
    assertEquals(201, madeUp.statusCode(), madeUp.bodyAsString());
    for (HttpResponse<Buffer> r : List.of(real, madeUp)) {
      JsonObject person = r.bodyAsJsonObject().getJsonObject("person");
      assertNull(person.getString("id"), "no record is named until staff match it");
      assertNull(person.getString("kind"));
      assertEquals("PENDING", r.bodyAsJsonObject().getString("state"));
      assertFalse(r.bodyAsString().contains(elsewhere.id()));
    }
    assertEquals(elsewhere.name(), real.bodyAsJsonObject().getJsonObject("person").getString("name"), "what she said");

    // a record id is never accepted from her, and the refusal is the same whoever it names
    HttpResponse<Buffer> byId = f.post("/api/v1/contacts", me.token(), described("x").put("person_id", elsewhere.id()));
    HttpResponse<Buffer> byNothing = f.post("/api/v1/contacts", me.token(), described("x").put("person_id", "pe-nobody"));
    assertEquals(400, byId.statusCode());
    assertEquals(byNothing.bodyAsJsonObject(), byId.bodyAsJsonObject());
    assertEquals(2, f.get("/api/v1/contacts", me.token()).bodyAsJsonObject().getJsonArray("items").size(),
        "the refusals left no contact");
  }

  @Test
  void staffMatchTheProposalWhenTheyApproveIt(Vertx vertx) {
    ContactsFixture f = fixture(vertx);
    String officer = styal.staffToken(f.client, Role.OFFICER);
    var me = f.prisoner();
    AuthFixture.SignedInPerson carer = f.person(PersonKind.CARER);
    String id = f.post("/api/v1/contacts", me.token(), described("Gran")).bodyAsJsonObject().getString("id");

    HttpResponse<Buffer> unmatched = f.transition(officer, id, "approve", new JsonObject().put("reason", "checked"));
    assertEquals(422, unmatched.statusCode());
    assertEquals("PERSON_REQUIRED", errorCode(unmatched));
    HttpResponse<Buffer> otherPrison = f.transition(officer, id, "approve", new JsonObject().put("reason", "checked")
        .put("person_id", send.person(PersonKind.CARER, null).id()));
    assertEquals(422, otherPrison.statusCode());
    assertEquals("UNKNOWN_PERSON", errorCode(otherPrison), "another prison's person is no one here");

    JsonObject staffView = f.get("/api/v1/contacts/" + id, officer).bodyAsJsonObject();
    assertEquals("Gran", staffView.getJsonObject("proposal").getString("name"));
    assertEquals("07700 900123", staffView.getJsonObject("proposal").getString("how_to_reach"));
    HttpResponse<Buffer> approved = f.transition(officer, id, "approve", new JsonObject().put("reason", "identity checked")
        .put("person_id", carer.person().id()));
    assertEquals(200, approved.statusCode(), approved.bodyAsString());
    assertEquals(carer.person().id(), approved.bodyAsJsonObject().getJsonObject("person").getString("id"));
    assertEquals("APPROVED", approved.bodyAsJsonObject().getString("state"));
    assertEquals(List.of(id), f.get("/api/v1/contacts", carer.token()).bodyAsJsonObject().getJsonArray("items").stream()
        .map(c -> ((JsonObject) c).getString("id")).toList(), "the person now sees the contact");
    assertTrue(styal.audit("contact.approve").stream().anyMatch(e -> carer.person().id()
        .equals(e.getJsonObject("details").getString("matched_party_id"))), "the match is audited");
  }

  @Test
  void staffNamingAnotherPrisonsPersonGetTheAnswerForNobody(Vertx vertx) {
    ContactsFixture f = fixture(vertx);
    String officer = styal.staffToken(f.client, Role.OFFICER);
    Prisoner prisoner = styal.prisoner("2468");
    Prisoner theirs = send.prisoner("2468");
    JsonObject nobody = f.propose(officer, prisoner.id(), "pe-nobody", "CARER", null).bodyAsJsonObject();
    for (String other : List.of(send.person(PersonKind.CHILD, null).id(), theirs.id(), theirs.prisonNumber())) {
      HttpResponse<Buffer> r = f.propose(officer, prisoner.prisonNumber(), other, "CARER", null);
      assertEquals(422, r.statusCode(), r.bodyAsString());
      assertEquals(nobody.getJsonObject("error").getString("message").replace("pe-nobody", PrisonerRefs.partyId(other)),
          r.bodyAsJsonObject().getJsonObject("error").getString("message"));
    }
  }

  @Test
  void twoConcurrentProposalsForOnePersonMakeOneContact(Vertx vertx) {
    ContactsFixture f = fixture(vertx);
    String officer = styal.staffToken(f.client, Role.OFFICER);
    for (int round = 0; round < 5; round++) {
      Prisoner prisoner = styal.prisoner("2468");
      PersonOutside carer = f.personRecord(PersonKind.CARER);
      JsonObject body = new JsonObject().put("prisoner_id", prisoner.prisonNumber()).put("person_id", carer.id())
          .put("relationship", "CARER");
      List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        sent.add(f.client.post("/api/v1/contacts").putHeader("Authorization", "Bearer " + officer).sendJsonObject(body));
      }
      Gateway.await(Future.join(sent));
      List<HttpResponse<Buffer>> answers = sent.stream().map(Future::result).toList();
      Set<Integer> statuses = answers.stream().map(HttpResponse::statusCode).collect(Collectors.toSet());
      assertEquals(Set.of(201, 409), statuses, answers.stream().map(HttpResponse::bodyAsString).toList().toString());
      HttpResponse<Buffer> created = answers.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow();
      HttpResponse<Buffer> refused = answers.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
      assertEquals("CONTACT_EXISTS", errorCode(refused));
      assertEquals(created.bodyAsJsonObject().getString("id"),
          refused.bodyAsJsonObject().getJsonObject("error").getString("contact_id"), "the refusal names the contact");
      assertEquals(1, f.get("/api/v1/contacts?prisoner=" + prisoner.prisonNumber(), officer).bodyAsJsonObject()
          .getJsonArray("items").size());
    }
  }

  @Test
  void aRetryIsTheSameRequestWhateverOrderItsMembersAreIn(Vertx vertx) {
    ContactsFixture f = fixture(vertx);
    String officer = styal.staffToken(f.client, Role.OFFICER);
    Prisoner prisoner = styal.prisoner("2468");
    PersonOutside carer = f.personRecord(PersonKind.CARER);
    String key = "propose-" + carer.id();
    String one = "{\"prisoner_id\":\"" + prisoner.prisonNumber() + "\",\"person_id\":\"" + carer.id()
        + "\",\"relationship\":\"CARER\"}";
    String reordered = "{\"relationship\":\"CARER\",\"person_id\":\"" + carer.id() + "\",\"prisoner_id\":\""
        + prisoner.prisonNumber() + "\"}";
    HttpResponse<Buffer> first = raw(f, officer, key, one);
    HttpResponse<Buffer> retry = raw(f, officer, key, reordered);
    assertEquals(201, first.statusCode(), first.bodyAsString());
    assertEquals(201, retry.statusCode(), retry.bodyAsString());
    assertEquals(first.bodyAsJsonObject(), retry.bodyAsJsonObject());
    HttpResponse<Buffer> other = raw(f, officer, key, one.replace("CARER", "OTHER"));
    assertEquals(422, other.statusCode());
    assertEquals("IDEMPOTENCY_KEY_REUSED", errorCode(other));
  }

  static HttpResponse<Buffer> raw(ContactsFixture f, String token, String key, String json) {
    return Gateway.await(f.client.post("/api/v1/contacts").putHeader("Authorization", "Bearer " + token)
        .putHeader("Idempotency-Key", key).putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(json)));
  }

  @Test
  void staffNamePrisonersByPrisonNumberAndSeeTheirEstablishmentsApprovalQueue(Vertx vertx) {
    ContactsFixture f = fixture(vertx);
    String officer = styal.staffToken(f.client, Role.OFFICER);
    Prisoner a = styal.prisoner("2468");
    Prisoner b = styal.prisoner("2468");
    List<String> pending = new ArrayList<>();
    for (Prisoner p : List.of(a, b, a)) {
      pending.add(f.created(officer, p.prisonNumber(), f.personRecord(PersonKind.CARER).id(), "CARER", null).getString("id"));
    }
    String approved = f.created(officer, b.prisonNumber(), f.personRecord(PersonKind.SCHOOL).id(), "SCHOOL", null)
        .getString("id");
    f.approved(officer, approved);
    ContactsFixture other = new ContactsFixture(send, f.client);
    other.created(send.staffToken(f.client, Role.OFFICER), send.prisoner("2468").prisonNumber(),
        send.person(PersonKind.CARER, null).id(), "CARER", null);

    // the prisoner by prison number (lower case too) and by the old id
    for (String ref : List.of(a.prisonNumber(), a.prisonNumber().toLowerCase(java.util.Locale.ROOT), a.id())) {
      HttpResponse<Buffer> r = f.get("/api/v1/contacts?prisoner=" + ref, officer);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals(2, r.bodyAsJsonObject().getJsonArray("items").size());
      assertEquals(a.prisonNumber(), r.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("prison_number"));
    }
    assertEquals(200, f.get("/api/v1/prisoners/" + a.prisonNumber() + "/clearance", officer).statusCode());

    // the queue: every pending contact of the establishment, oldest first, a page at a time
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = f.get("/api/v1/contacts?state=PENDING&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), officer)
          .bodyAsJsonObject();
      page.getJsonArray("items").forEach(c -> seen.add(((JsonObject) c).getString("id")));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null && pages < 10);
    assertEquals(pending, seen, "only this establishment's, only pending ones");
    assertEquals(2, pages);
    assertEquals(400, f.get("/api/v1/contacts", officer).statusCode(), "staff say whose, or ask for the queue");
    assertEquals(400, f.get("/api/v1/contacts?state=PENDING&cursor=bm90LW91cnM", officer).statusCode());
  }

  @Test
  void historiesAndSummariesShowNamesAndRolesNotIds(Vertx vertx) {
    ContactsFixture f = fixture(vertx);
    String officer = styal.staffToken(f.client, Role.OFFICER);
    Prisoner prisoner = styal.prisoner("2468");
    PersonOutside dad = f.personRecord(PersonKind.PARENT);
    PersonOutside theirs = send.person(PersonKind.PARENT, null);
    String id = f.created(officer, prisoner.prisonNumber(), f.personRecord(PersonKind.SCHOOL).id(), "SCHOOL", null)
        .getString("id");
    f.approved(officer, id);
    JsonObject doc = f.get("/api/v1/contacts/" + id + "/policy", officer).bodyAsJsonObject().getJsonObject("policy");
    // the old prefixed form is still read, and is written back as the id the API gives
    JsonObject body = new JsonObject().put("reason", "never with the father")
        .put("policy", doc.copy().put("never_with", new JsonArray().add("person:" + dad.id()).add(theirs.id())));
    HttpResponse<Buffer> put = f.putPolicy(officer, id, "2", null, body);
    assertEquals(200, put.statusCode(), put.bodyAsString());
    JsonObject policy = put.bodyAsJsonObject();
    assertEquals(List.of(dad.id(), theirs.id()), policy.getJsonObject("policy").getJsonArray("never_with").getList());
    assertTrue(policy.getJsonArray("summary").contains(
        "Never in the same call as " + dad.name() + " (" + dad.id() + ") or " + theirs.id() + "."),
        "named when the record is ours; only the reference otherwise: " + policy.getJsonArray("summary"));
    assertEquals("Test OFFICER", policy.getString("updated_by"));

    JsonObject first = f.get("/api/v1/contacts/" + id + "/policy/versions?limit=2", officer).bodyAsJsonObject();
    assertEquals(List.of(3, 2), first.getJsonArray("items").stream().map(v -> ((JsonObject) v).getInteger("version")).toList());
    assertNotNull(first.getString("next_cursor"));
    JsonObject rest = f.get("/api/v1/contacts/" + id + "/policy/versions?limit=2&cursor=" + first.getString("next_cursor"),
        officer).bodyAsJsonObject();
    assertEquals(List.of(1), rest.getJsonArray("items").stream().map(v -> ((JsonObject) v).getInteger("version")).toList());
    assertNull(rest.getString("next_cursor"));
    JsonObject latest = first.getJsonArray("items").getJsonObject(0);
    assertEquals("Test OFFICER", latest.getString("author"));
    assertEquals("OFFICER", latest.getString("author_role"));
    assertFalse(first.encode().contains("\"st-"), "no account ids: " + first.encode());
    JsonObject contact = f.get("/api/v1/contacts/" + id, officer).bodyAsJsonObject();
    assertEquals("Test OFFICER", contact.getJsonObject("proposed_by").getString("name"));
  }
}
