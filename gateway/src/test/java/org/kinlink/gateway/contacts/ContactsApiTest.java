package org.kinlink.gateway.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.contacts.ContactsFixture.errorCode;
import static org.kinlink.gateway.contacts.ContactsFixture.policy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
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
import org.kinlink.gateway.support.KinlinkExtension;

/** Contacts, restrictions and clearance through the real HTTP API of a real node on real Redis. */
class ContactsApiTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Gateway gateway;
  static AuthFixture styalAuth;
  static AuthFixture sendAuth;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    styalAuth = new AuthFixture(gateway);
    sendAuth = new AuthFixture(gateway);
  }

  static ContactsFixture styal(Vertx vertx) {
    return new ContactsFixture(styalAuth, AuthFixture.client(vertx, gateway));
  }

  static List<JsonObject> contactAudit(String contactId) {
    return styalAuth.audit().stream().filter(e -> contactId.equals(e.getString("contact_id"))).toList();
  }

  @Test
  void staffTakeAContactThroughItsLifeEachStepVersionedAndAudited(Vertx vertx) {
    ContactsFixture f = styal(vertx);
    String officer = f.auth.staffToken(f.client, Role.OFFICER);
    var prisoner = f.auth.prisoner("2468");
    PersonOutside carer = f.personRecord(PersonKind.CARER);

    JsonObject c = f.created(officer, prisoner.id(), carer.id(), "CARER", null);
    assertEquals("PENDING", c.getString("state"));
    assertEquals(1, c.getInteger("policy_version"));
    assertEquals(carer.name(), c.getJsonObject("person").getString("name"));
    String id = c.getString("id");
    assertTrue(id.startsWith("ct-"));

    assertEquals("APPROVED", f.approved(officer, id).getString("state"));
    String until = kinlink.clock().instant().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    HttpResponse<Buffer> suspended = f.transition(officer, id, "suspend",
        new JsonObject().put("reason", "disclosure during call; safeguarding review").put("until", until));
    assertEquals(200, suspended.statusCode(), suspended.bodyAsString());
    assertEquals("SUSPENDED", suspended.bodyAsJsonObject().getString("state"));
    assertEquals(Instant.parse(until), Instant.parse(suspended.bodyAsJsonObject().getString("suspended_until")));
    assertEquals("disclosure during call; safeguarding review", suspended.bodyAsJsonObject().getString("state_reason"));
    assertEquals(3, suspended.bodyAsJsonObject().getInteger("policy_version"));
    assertEquals("APPROVED", f.approved(officer, id).getString("state"), "approve reinstates a suspended contact");
    HttpResponse<Buffer> revoked = f.transition(officer, id, "revoke", new JsonObject().put("reason", "court order made"));
    assertEquals(200, revoked.statusCode());
    assertEquals("REVOKED", revoked.bodyAsJsonObject().getString("state"));

    HttpResponse<Buffer> again = f.transition(officer, id, "approve", new JsonObject().put("reason", "oops"));
    assertEquals(409, again.statusCode());
    assertEquals("INVALID_TRANSITION", errorCode(again));
    assertEquals(409, f.transition(officer, id, "suspend", new JsonObject().put("reason", "x")).statusCode());

    JsonArray versions = f.get("/api/v1/contacts/" + id + "/policy/versions", officer).bodyAsJsonObject().getJsonArray("items");
    assertEquals(List.of(5, 4, 3, 2, 1), versions.stream().map(v -> ((JsonObject) v).getInteger("version")).toList());
    assertEquals(List.of("REVOKED", "APPROVED", "SUSPENDED", "APPROVED", "PENDING"),
        versions.stream().map(v -> ((JsonObject) v).getJsonObject("policy").getString("state")).toList());
    JsonObject third = versions.getJsonObject(2);
    assertEquals("disclosure during call; safeguarding review", third.getString("reason"));
    assertEquals("OFFICER", third.getString("author_role"));
    assertNotNull(third.getString("author"));
    assertTrue(third.getJsonArray("summary").getString(0).startsWith("Suspended until"), third.encodePrettily());

    List<JsonObject> audit = contactAudit(id);
    assertEquals(List.of("contact.propose", "contact.approve", "contact.suspend", "contact.approve", "contact.revoke"),
        audit.stream().map(e -> e.getString("action")).toList());
    JsonObject suspension = audit.get(2).getJsonObject("details");
    assertEquals("disclosure during call; safeguarding review", suspension.getString("reason"));
    assertEquals("APPROVED", suspension.getJsonObject("before").getString("state"));
    assertEquals("SUSPENDED", suspension.getJsonObject("after").getString("state"));
    assertEquals(prisoner.id(), audit.get(2).getString("prisoner_id"));
    assertEquals("OFFICER", audit.get(2).getString("actor_role"));
  }

  @Test
  void aTimedSuspensionEndsByItselfAsANewVersion(Vertx vertx) {
    ContactsFixture f = styal(vertx);
    String officer = f.auth.staffToken(f.client, Role.OFFICER);
    var prisoner = f.auth.prisoner("2468");
    String id = f.created(officer, prisoner.id(), f.personRecord(PersonKind.CARER).id(), "CARER", null).getString("id");
    f.approved(officer, id);
    Instant until = kinlink.clock().instant().plus(java.time.Duration.ofHours(2));
    HttpResponse<Buffer> suspended = f.transition(officer, id, "suspend",
        new JsonObject().put("reason", "cooling-off after an argument").put("until", until.toString()));
    assertEquals(200, suspended.statusCode(), suspended.bodyAsString());

    // the sweeper's timer fires in real time; what it decides reads the clock, so run a pass at each moment
    SuspensionEnds sweeper = gateway.services().contacts().suspensionEnds();
    kinlink.clock().advance(java.time.Duration.ofHours(2).minusMinutes(1));
    Gateway.await(sweeper.sweep());
    officer = f.auth.staffToken(f.client, Role.OFFICER); // two hours on, the first officer's access token has run out
    assertEquals("SUSPENDED", f.get("/api/v1/contacts/" + id, officer).bodyAsJsonObject().getString("state"),
        "not before its time");
    kinlink.clock().advance(java.time.Duration.ofMinutes(1));
    Gateway.await(sweeper.sweep());
    String state = f.get("/api/v1/contacts/" + id, officer).bodyAsJsonObject().getString("state");
    assertEquals("APPROVED", state, "the suspension ended by itself");
    JsonObject latest = f.get("/api/v1/contacts/" + id + "/policy/versions", officer).bodyAsJsonObject()
        .getJsonArray("items").getJsonObject(0);
    assertEquals(4, latest.getInteger("version"));
    assertEquals("contact.suspension.end", latest.getString("action"));
    assertEquals("SYSTEM", latest.getString("author_role"), "the system, not a person, wrote it");
    assertTrue(contactAudit(id).stream().anyMatch(e -> "contact.suspension.end".equals(e.getString("action"))
        && "SYSTEM".equals(e.getString("actor_role"))));
  }

  @Test
  void refusalsSayWhatWasWrong(Vertx vertx) {
    ContactsFixture f = styal(vertx);
    String officer = f.auth.staffToken(f.client, Role.OFFICER);
    String security = f.auth.staffToken(f.client, Role.SECURITY);
    var prisoner = f.prisoner();
    PersonOutside carer = f.personRecord(PersonKind.CARER);
    String id = f.created(officer, prisoner.prisoner().id(), carer.id(), "CARER", null).getString("id");

    // wrong role: 403; another establishment: 404 (it cannot tell the contact exists)
    assertEquals(403, f.transition(security, id, "approve", new JsonObject().put("reason", "x")).statusCode(),
        "security watches; the people who set restrictions are accountable for them");
    assertEquals(403, f.transition(prisoner.token(), id, "approve", new JsonObject().put("reason", "x")).statusCode());
    ContactsFixture other = new ContactsFixture(sendAuth, f.client);
    String sendOfficer = sendAuth.staffToken(f.client, Role.OFFICER);
    for (HttpResponse<Buffer> r : List.of(f.get("/api/v1/contacts/" + id, sendOfficer),
        f.get("/api/v1/contacts/" + id + "/policy", sendOfficer),
        other.transition(sendOfficer, id, "approve", new JsonObject().put("reason", "x")),
        other.propose(sendOfficer, prisoner.prisoner().id(), carer.id(), "CARER", null),
        f.get("/api/v1/contacts?prisoner=" + prisoner.prisoner().id(), sendOfficer))) {
      assertEquals(404, r.statusCode(), r.bodyAsString());
    }
    // a reason is required
    HttpResponse<Buffer> noReason = f.transition(officer, id, "approve", new JsonObject());
    assertEquals(400, noReason.statusCode());
    assertEquals("reason", noReason.bodyAsJsonObject().getJsonObject("error").getString("field"));
    assertEquals(400, f.transition(officer, id, "approve", new JsonObject().put("reason", "   ")).statusCode());
    // a suspension can only end in the future
    f.approved(officer, id);
    assertEquals(422, f.transition(officer, id, "suspend", new JsonObject().put("reason", "x")
        .put("until", "2020-01-01T00:00:00Z")).statusCode());

    JsonObject current = f.get("/api/v1/contacts/" + id + "/policy", officer).bodyAsJsonObject();
    JsonObject doc = current.getJsonObject("policy");
    // no If-Match: 428
    HttpResponse<Buffer> noIfMatch = f.putPolicy(officer, id, null, null, new JsonObject().put("policy", doc).put("reason", "x"));
    assertEquals(428, noIfMatch.statusCode());
    assertEquals("PRECONDITION_REQUIRED", errorCode(noIfMatch));
    // stale: 409 naming the current version
    HttpResponse<Buffer> stale = f.putPolicy(officer, id, "\"1\"", null, new JsonObject().put("policy", doc).put("reason", "x"));
    assertEquals(409, stale.statusCode());
    assertEquals("STALE_VERSION", errorCode(stale));
    assertTrue(stale.bodyAsJsonObject().getJsonObject("error").getString("message").contains("current version is 2"));
    // missing reason: 400
    assertEquals(400, f.putPolicy(officer, id, "2", null, new JsonObject().put("policy", doc)).statusCode());
    // invalid document: 422 listing every problem by field
    JsonObject bad = doc.copy().put("channels", new JsonArray().add("MESSAGE").add("FAX")).put("oversight", "SUPERVISED")
        .put("windows", new JsonArray().add(new JsonObject().put("days", new JsonArray().add("MON")).put("from", "25:00").put("to", "15:00")));
    HttpResponse<Buffer> invalid = f.putPolicy(officer, id, "2", null, new JsonObject().put("policy", bad).put("reason", "x"));
    assertEquals(422, invalid.statusCode(), invalid.bodyAsString());
    JsonObject error = invalid.bodyAsJsonObject().getJsonObject("error");
    assertEquals("POLICY_INVALID", error.getString("code"));
    Set<String> fields = error.getJsonArray("problems").stream().map(p -> ((JsonObject) p).getString("field")).collect(Collectors.toSet());
    assertTrue(fields.containsAll(Set.of("policy.channels[1]", "policy.supervisor", "policy.windows[0].from")), fields.toString());
    assertEquals(error.getJsonArray("problems").getJsonObject(0).getString("field"), error.getString("field"));
    // a state change through PUT: 422, use the transitions
    HttpResponse<Buffer> viaPut = f.putPolicy(officer, id, "2", null,
        new JsonObject().put("policy", doc.copy().put("state", "REVOKED")).put("reason", "x"));
    assertEquals(422, viaPut.statusCode());
    assertEquals("STATE_CHANGE_NOT_ALLOWED", errorCode(viaPut));
    // none of the refusals wrote anything
    assertEquals(2, f.get("/api/v1/contacts/" + id + "/policy", officer).bodyAsJsonObject().getInteger("version"));
    // a second live contact with the same person: 409
    assertEquals(409, f.propose(officer, prisoner.prisoner().id(), carer.id(), "CARER", null).statusCode());
    // not signed in: 401
    assertEquals(401, f.get("/api/v1/contacts/" + id, null).statusCode());
  }

  @Test
  void aPrisonerSeesHerApprovedContactsAndHerOwnProposalsNeverStaffReasons(Vertx vertx) {
    ContactsFixture f = styal(vertx);
    String officer = f.auth.staffToken(f.client, Role.OFFICER);
    var me = f.prisoner();
    String myId = me.prisoner().id();
    AuthFixture.SignedInPerson carer = f.person(PersonKind.CARER);
    PersonOutside school = f.personRecord(PersonKind.SCHOOL);
    PersonOutside social = f.personRecord(PersonKind.SOCIAL_WORKER);
    PersonOutside suspendedOne = f.personRecord(PersonKind.OTHER);

    // she proposes one herself by who the person is (no prisoner_id, no record id); staff propose the others
    HttpResponse<Buffer> mine = f.post("/api/v1/contacts", me.token(), new JsonObject().put("relationship", "CARER")
        .put("name", carer.person().name()).put("how_to_reach", "her mobile, 07700 900123"));
    assertEquals(201, mine.statusCode(), mine.bodyAsString());
    assertFalse(mine.bodyAsJsonObject().containsKey("state_reason"));
    String carerContact = mine.bodyAsJsonObject().getString("id");
    assertEquals(403, f.propose(me.token(), null, school.id(), "SCHOOL", policy("PENDING", "SCHOOL", "RECORDED", "VIDEO"))
        .statusCode(), "only staff set restrictions");
    String staffPending = f.created(officer, myId, school.id(), "SCHOOL", null).getString("id");
    String approved = f.created(officer, myId, social.id(), "SOCIAL_WORKER", null).getString("id");
    f.approved(officer, approved);
    String hidden = f.created(officer, myId, suspendedOne.id(), "OTHER", null).getString("id");
    f.approved(officer, hidden);
    assertEquals(200, f.transition(officer, hidden, "suspend",
        new JsonObject().put("reason", "intelligence report IR-77 about this person")).statusCode());

    HttpResponse<Buffer> list = f.get("/api/v1/contacts", me.token());
    assertEquals(200, list.statusCode(), list.bodyAsString());
    Map<String, String> seen = list.bodyAsJsonObject().getJsonArray("items").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(c -> c.getString("id"), c -> c.getString("state")));
    assertEquals(Map.of(carerContact, "PENDING", approved, "APPROVED"), seen);
    assertFalse(list.bodyAsString().contains("state_reason"));
    assertFalse(list.bodyAsString().contains("IR-77"));
    assertEquals(404, f.get("/api/v1/contacts/" + hidden, me.token()).statusCode());
    assertEquals(404, f.get("/api/v1/contacts/" + staffPending, me.token()).statusCode());
    assertEquals(403, f.get("/api/v1/contacts/" + approved + "/policy", me.token()).statusCode(), "the restrictions are staff-only");
    assertEquals(403, f.evaluate(me.token(), new JsonObject().put("contact_id", approved).put("action", "SEND_MESSAGE")).statusCode());
    HttpResponse<Buffer> someoneElse = f.get("/api/v1/contacts?prisoner=" + f.auth.prisoner("1357").id(), me.token());
    assertEquals(404, someoneElse.statusCode());

    // the person outside sees her contact only once approved, without staff reasons
    assertEquals(0, f.get("/api/v1/contacts", carer.token()).bodyAsJsonObject().getJsonArray("items").size());
    assertEquals(404, f.get("/api/v1/contacts/" + carerContact, carer.token()).statusCode());
    // staff approve her proposal by saying who the person is
    HttpResponse<Buffer> matched = f.transition(officer, carerContact, "approve",
        new JsonObject().put("reason", "identity checked").put("person_id", carer.person().id()));
    assertEquals(200, matched.statusCode(), matched.bodyAsString());
    JsonArray carers = f.get("/api/v1/contacts", carer.token()).bodyAsJsonObject().getJsonArray("items");
    assertEquals(1, carers.size());
    assertEquals(myId, carers.getJsonObject(0).getString("prisoner_id"));
    assertFalse(carers.getJsonObject(0).containsKey("state_reason"));
    JsonObject meView = f.get("/api/v1/me", carer.token()).bodyAsJsonObject();
    assertEquals(carerContact, meView.getJsonArray("contacts").getJsonObject(0).getString("id"), "/me lists my contacts");
    JsonArray herMe = f.get("/api/v1/me", me.token()).bodyAsJsonObject().getJsonArray("contacts");
    assertEquals(Set.of(carerContact, approved), herMe.stream().map(c -> ((JsonObject) c).getString("id")).collect(Collectors.toSet()));

    // staff see everything, with reasons, a page at a time
    JsonObject page1 = f.get("/api/v1/contacts?prisoner=" + myId + "&limit=3", officer).bodyAsJsonObject();
    assertEquals(3, page1.getJsonArray("items").size());
    assertNotNull(page1.getString("next_cursor"));
    JsonObject page2 = f.get("/api/v1/contacts?prisoner=" + myId + "&limit=3&cursor=" + page1.getString("next_cursor"), officer)
        .bodyAsJsonObject();
    assertEquals(1, page2.getJsonArray("items").size());
    assertNull(page2.getString("next_cursor"));
    JsonObject staffHidden = f.get("/api/v1/contacts/" + hidden, officer).bodyAsJsonObject();
    assertEquals("intelligence report IR-77 about this person", staffHidden.getString("state_reason"));
    assertEquals(1, f.get("/api/v1/contacts?prisoner=" + myId + "&state=SUSPENDED", officer).bodyAsJsonObject()
        .getJsonArray("items").size());
  }

  @Test
  void aPolicyChangeIsVersionedAndARetryWithItsKeyIsAnsweredOnce(Vertx vertx) {
    ContactsFixture f = styal(vertx);
    String officer = f.auth.staffToken(f.client, Role.FAMILY_WORKER);
    var prisoner = f.auth.prisoner("2468");
    PersonOutside dsl = f.personRecord(PersonKind.SCHOOL);
    String id = f.created(officer, prisoner.id(), dsl.id(), "SCHOOL", null).getString("id");
    f.approved(officer, id);

    HttpResponse<Buffer> got = f.get("/api/v1/contacts/" + id + "/policy", officer);
    assertEquals("\"2\"", got.getHeader("ETag"));
    JsonObject doc = got.bodyAsJsonObject().getJsonObject("policy");
    assertEquals(List.of("Approved.", "Messages only.", "Video calls are recorded.", "Photos are reviewed before delivery."),
        got.bodyAsJsonObject().getJsonArray("summary").getList());
    JsonObject stricter = doc.copy().put("channels", new JsonArray().add("MESSAGE").add("VIDEO"))
        .put("windows", new JsonArray().add(new JsonObject().put("days", new JsonArray(List.of("MON", "TUE", "WED", "THU", "FRI")))
            .put("from", "09:00").put("to", "15:00")))
        .put("never_with", new JsonArray().add("prisoner:E2468KL"))
        .put("content", new JsonObject().put("sensitive_terms", new JsonArray().add("Oakfield Primary")));
    JsonObject body = new JsonObject().put("policy", stricter).put("reason", "school asked: weekday calls only");
    HttpResponse<Buffer> first = f.putPolicy(officer, id, "2", "retry-" + id, body);
    assertEquals(200, first.statusCode(), first.bodyAsString());
    assertEquals("\"3\"", first.getHeader("ETag"));
    assertEquals(3, first.bodyAsJsonObject().getInteger("version"));
    assertTrue(first.bodyAsJsonObject().getJsonArray("summary").contains("Weekdays 09:00–15:00 (UK time)."));
    assertTrue(first.bodyAsJsonObject().getJsonArray("summary").contains("Never in the same call as E2468KL."),
        "policy documents and summaries name a prisoner by prison number");

    // the answer was lost on the way: the client retries with the same key and gets the same answer
    HttpResponse<Buffer> retry = f.putPolicy(officer, id, "2", "retry-" + id, body);
    assertEquals(200, retry.statusCode(), retry.bodyAsString());
    assertEquals(first.bodyAsJsonObject(), retry.bodyAsJsonObject());
    assertEquals(3, f.get("/api/v1/contacts/" + id + "/policy", officer).bodyAsJsonObject().getInteger("version"));
    assertEquals(1, contactAudit(id).stream().filter(e -> "contact.policy.update".equals(e.getString("action"))).count());
    // the same key for something else is refused
    HttpResponse<Buffer> reused = f.putPolicy(officer, id, "2", "retry-" + id,
        new JsonObject().put("policy", doc).put("reason", "something else"));
    assertEquals(422, reused.statusCode());
    assertEquals("IDEMPOTENCY_KEY_REUSED", errorCode(reused));
    // without the key the same request is stale
    assertEquals(409, f.putPolicy(officer, id, "2", null, body).statusCode());

    JsonObject update = contactAudit(id).stream().filter(e -> "contact.policy.update".equals(e.getString("action")))
        .findFirst().orElseThrow().getJsonObject("details");
    assertEquals("school asked: weekday calls only", update.getString("reason"));
    assertEquals(1, update.getJsonObject("before").getJsonArray("channels").size());
    assertEquals(2, update.getJsonObject("after").getJsonArray("channels").size());
    JsonArray versions = f.get("/api/v1/contacts/" + id + "/policy/versions", officer).bodyAsJsonObject().getJsonArray("items");
    assertEquals(3, versions.size());
    assertEquals("school asked: weekday calls only", versions.getJsonObject(0).getString("reason"));
  }

  @Test
  void theDryRunShowsTheDecisionWithStaffTexts(Vertx vertx) {
    ContactsFixture f = styal(vertx);
    String officer = f.auth.staffToken(f.client, Role.OFFICER);
    var prisoner = f.auth.prisoner("2468");
    PersonOutside carer = f.personRecord(PersonKind.CARER);
    PersonOutside child = f.personRecord(PersonKind.CHILD);
    JsonObject restrictions = policy("PENDING", "CARER", "RECORDED", "MESSAGE", "VIDEO")
        .put("content", new JsonObject().put("sensitive_terms", new JsonArray().add("Oakfield Primary")));
    String id = f.created(officer, prisoner.id(), carer.id(), "CARER", restrictions).getString("id");
    f.approved(officer, id);
    String childContact = f.created(officer, prisoner.id(), child.id(), "CHILD",
        policy("PENDING", "CHILD", "RECORDED", "MESSAGE", "VIDEO")).getString("id");
    f.approved(officer, childContact);

    HttpResponse<Buffer> review = f.evaluate(officer, new JsonObject().put("contact_id", id).put("action", "SEND_MESSAGE")
        .put("content", "I'll pick him up from Oakfield Primary on Friday"));
    assertEquals(200, review.statusCode(), review.bodyAsString());
    JsonObject decision = review.bodyAsJsonObject().getJsonObject("decision");
    assertEquals("REVIEW", decision.getString("effect"));
    JsonObject reason = decision.getJsonArray("reasons").stream().map(JsonObject.class::cast)
        .filter(r -> "SENSITIVE_TERM".equals(r.getString("rule"))).findFirst().orElseThrow();
    assertTrue(reason.getString("text").contains("Oakfield Primary"), "staff see the full why: " + reason);
    assertEquals(2, review.bodyAsJsonObject().getInteger("policy_version"));

    JsonObject call = new JsonObject().put("contact_id", id).put("action", "BOOK_CALL").put("duration", "PT30M");
    JsonObject permitted = f.evaluate(officer, call).bodyAsJsonObject().getJsonObject("decision");
    assertEquals("PERMIT", permitted.getString("effect"));
    assertTrue(permitted.getJsonArray("obligations").stream().anyMatch(o -> "RECORD".equals(((JsonObject) o).getString("type"))));

    // the child joins the call: her clearance now matters (a prisoner registered FULL, then set to NONE)
    JsonObject withChild = call.copy().put("participants", new JsonArray().add(child.id()));
    assertEquals("PERMIT", f.evaluate(officer, withChild).bodyAsJsonObject().getJsonObject("decision").getString("effect"));
    HttpResponse<Buffer> set = f.send("PUT", "/api/v1/prisoners/" + prisoner.id() + "/clearance", officer,
        Map.of("If-Match", "0"), new JsonObject().put("clearance", "NONE").put("reason", "new information from probation"));
    assertEquals(200, set.statusCode(), set.bodyAsString());
    JsonObject denied = f.evaluate(officer, withChild).bodyAsJsonObject().getJsonObject("decision");
    assertEquals("DENY", denied.getString("effect"));
    assertTrue(denied.getJsonArray("reasons").stream().anyMatch(r -> "CHILD_CONTACT_CLEARANCE".equals(((JsonObject) r).getString("rule"))));
    assertEquals("PERMIT", f.evaluate(officer, call).bodyAsJsonObject().getJsonObject("decision").getString("effect"),
        "she may still call the adult on his own");

    // after a suspension the same question is refused, and staff are told why
    f.transition(officer, id, "suspend", new JsonObject().put("reason", "disclosure"));
    JsonObject suspended = f.evaluate(officer, call).bodyAsJsonObject().getJsonObject("decision");
    assertEquals("DENY", suspended.getString("effect"));
    assertTrue(suspended.getJsonArray("reasons").stream().map(JsonObject.class::cast)
        .anyMatch(r -> "CONTACT_NOT_APPROVED".equals(r.getString("rule")) && r.getString("text").contains("SUSPENDED")));
    // a moment in the past is a what-if too; unknown contacts and participants are refused clearly
    assertEquals(404, f.evaluate(officer, new JsonObject().put("contact_id", "ct-nope").put("action", "SEND_MESSAGE")).statusCode());
    assertEquals(422, f.evaluate(officer, withChild.copy().put("participants", new JsonArray().add("pe-nobody"))).statusCode());
    assertEquals(400, f.evaluate(officer, new JsonObject().put("contact_id", id).put("action", "DANCE")).statusCode());
  }

  @Test
  void anOfficerMayTightenClearanceAtOnceButOnlyAnAssessorMayLoosenIt(Vertx vertx) {
    ContactsFixture f = styal(vertx);
    String officer = f.auth.staffToken(f.client, Role.OFFICER);
    String worker = f.auth.staffToken(f.client, Role.FAMILY_WORKER);
    var prisoner = f.auth.prisoner("1357");
    String path = "/api/v1/prisoners/" + prisoner.id() + "/clearance";

    HttpResponse<Buffer> tightened = f.send("PUT", path, officer, Map.of("If-Match", "0"),
        new JsonObject().put("clearance", "WRITTEN").put("reason", "call from the police public protection unit"));
    assertEquals(200, tightened.statusCode(), tightened.bodyAsString());
    HttpResponse<Buffer> loosen = f.send("PUT", path, officer, Map.of("If-Match", "1"),
        new JsonObject().put("clearance", "FULL").put("reason", "seems fine"));
    assertEquals(403, loosen.statusCode(), loosen.bodyAsString());
    assertEquals("WRITTEN", f.get(path, worker).bodyAsJsonObject().getString("clearance"), "the refused change wrote nothing");
    HttpResponse<Buffer> assessed = f.send("PUT", path, worker, Map.of("If-Match", "1"),
        new JsonObject().put("clearance", "SUPERVISED").put("reason", "assessment completed"));
    assertEquals(200, assessed.statusCode(), assessed.bodyAsString());
  }

  @Test
  void clearanceIsVersionedAndShownOnThePrisonerRecord(Vertx vertx) {
    ContactsFixture f = styal(vertx);
    String worker = f.auth.staffToken(f.client, Role.FAMILY_WORKER);
    var prisoner = f.auth.prisoner("2468");
    String path = "/api/v1/prisoners/" + prisoner.id() + "/clearance";

    HttpResponse<Buffer> initial = f.get(path, worker);
    assertEquals(200, initial.statusCode(), initial.bodyAsString());
    assertEquals("FULL", initial.bodyAsJsonObject().getString("clearance"), "as registered");
    assertEquals(0, initial.bodyAsJsonObject().getInteger("version"));
    assertEquals("\"0\"", initial.getHeader("ETag"));

    JsonObject body = new JsonObject().put("clearance", "SUPERVISED").put("reason", "assessment by the public protection unit");
    assertEquals(428, f.send("PUT", path, worker, Map.of(), body).statusCode());
    HttpResponse<Buffer> set = f.send("PUT", path, worker, Map.of("If-Match", "\"0\""), body);
    assertEquals(200, set.statusCode(), set.bodyAsString());
    assertEquals("\"1\"", set.getHeader("ETag"));
    assertEquals(409, f.send("PUT", path, worker, Map.of("If-Match", "0"), body.copy().put("clearance", "FULL")).statusCode());
    assertEquals(403, f.send("PUT", path, f.auth.staffToken(f.client, Role.SECURITY), Map.of("If-Match", "1"),
        body.copy().put("clearance", "FULL")).statusCode(), "security may lower clearance, never raise it");
    assertEquals(404, f.get(path, sendAuth.staffToken(f.client, Role.OFFICER)).statusCode());

    assertEquals("SUPERVISED", f.get("/api/v1/prisoners/" + prisoner.id(), worker).bodyAsJsonObject().getString("clearance"),
        "the prisoner record shows it");
    // a change made on the prisoner record lands here as a new version too
    HttpResponse<Buffer> patched = Gateway.await(f.client.patch("/api/v1/prisoners/" + prisoner.id())
        .putHeader("Authorization", "Bearer " + worker)
        .sendJsonObject(new JsonObject().put("flags", new JsonArray().add("RISK_TO_CHILDREN")).put("reason", "new conviction")));
    assertEquals(200, patched.statusCode(), patched.bodyAsString());
    JsonArray versions = f.get(path + "/versions", worker).bodyAsJsonObject().getJsonArray("items");
    assertEquals(List.of("NONE", "SUPERVISED"), versions.stream().map(v -> ((JsonObject) v).getString("clearance")).toList());
    assertEquals("new conviction", versions.getJsonObject(0).getString("reason"));
    assertEquals("NONE", f.get(path, worker).bodyAsJsonObject().getString("clearance"));
    List<JsonObject> audit = styalAuth.audit("prisoner.clearance.set").stream()
        .filter(e -> prisoner.id().equals(e.getString("prisoner_id"))).toList();
    assertEquals(2, audit.size());
    assertEquals("FULL", audit.get(0).getJsonObject("details").getString("before"));
    assertEquals("SUPERVISED", audit.get(0).getJsonObject("details").getString("after"));
  }
}
