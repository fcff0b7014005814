package org.kinlink.gateway.people;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;
import static org.kinlink.gateway.auth.AuthFixture.get;
import static org.kinlink.gateway.auth.AuthFixture.post;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.crypto.Totp;
import org.kinlink.gateway.support.KinlinkExtension;

class PeopleApiTest {
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

  private static JsonObject newPrisoner(String number) {
    return new JsonObject().put("prison_number", number).put("name", "Jane Doe").put("pin", "2580")
        .put("clearance", "SUPERVISED").put("flags", new JsonArray().add("MBU"));
  }

  private static HttpResponse<Buffer> patch(WebClient client, String path, String token, JsonObject body) {
    return Gateway.await(client.patch(path).putHeader("Authorization", "Bearer " + token).sendJsonObject(body));
  }

  @Test
  void anOfficerRegistersAPrisonerWhoCanThenSignInAndOnlyHerEstablishmentSeesHer(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String officer = styal.staffToken(client, Role.OFFICER);
    String number = AuthFixture.prisonNumber();
    HttpResponse<Buffer> created = post(client, "/api/v1/prisoners", officer, newPrisoner(number));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject p = created.bodyAsJsonObject();
    assertEquals(styal.est, p.getString("establishment"));
    assertFalse(p.containsKey("pin") || p.containsKey("pin_hash") || created.bodyAsString().contains("2580")
        || created.bodyAsString().contains("argon2"), "no PIN or PIN hash in answers: " + p.encode());
    assertFalse(p.getBoolean("own_pin"), "staff see that the PIN is one an officer set, until she chooses her own");
    assertEquals(409, post(client, "/api/v1/prisoners", officer, newPrisoner(number)).statusCode());

    String id = p.getString("id");
    assertEquals(200, get(client, "/api/v1/prisoners/" + id, officer).statusCode());
    var d = styal.device(true);
    assertEquals(200, AuthFixture.kiosk(client, number, "2580", d.id()).statusCode());

    String sendSecurity = send.staffToken(client, Role.SECURITY);
    HttpResponse<Buffer> other = get(client, "/api/v1/prisoners/" + id, sendSecurity);
    assertEquals(404, other.statusCode(), "another establishment's staff cannot tell she exists");
    assertEquals("NOT_FOUND", errorCode(other));
    JsonArray sendList = get(client, "/api/v1/prisoners", sendSecurity).bodyAsJsonObject().getJsonArray("items");
    assertTrue(sendList.stream().noneMatch(x -> id.equals(((JsonObject) x).getString("id"))), "nor list her");
    assertEquals(404, post(client, "/api/v1/prisoners/" + id + "/unlock", sendSecurity, new JsonObject()).statusCode());

    var creates = styal.audit("prisoner.create");
    assertTrue(creates.stream().anyMatch(e -> id.equals(e.getString("prisoner_id"))));
  }

  @Test
  void listsPageWithLimitAndCursor(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    AuthFixture fresh = new AuthFixture(gateway);
    for (int i = 0; i < 5; i++) {
      fresh.prisoner("1234");
    }
    String officer = fresh.staffToken(client, Role.OFFICER);
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = get(client, "/api/v1/prisoners?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), officer).bodyAsJsonObject();
      page.getJsonArray("items").forEach(x -> seen.add(((JsonObject) x).getString("id")));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null && pages < 10);
    assertEquals(5, seen.size());
    assertEquals(3, pages);
    assertEquals(400, get(client, "/api/v1/prisoners?limit=0", officer).statusCode());
  }

  @Test
  void peopleOutsideAndPrisonersCannotUseStaffEndpoints(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String prisoner = styal.prisonerTokens(client).getString("access_token");
    var carer = styal.person(PersonKind.CARER, null);
    String outside = post(client, "/api/v1/auth/login", new JsonObject().put("email", carer.email()).put("password", AuthFixture.PASSWORD))
        .bodyAsJsonObject().getString("access_token");
    for (String token : new String[] {prisoner, outside}) {
      assertEquals(403, get(client, "/api/v1/prisoners", token).statusCode());
      assertEquals(403, get(client, "/api/v1/people/" + carer.id(), token).statusCode());
      HttpResponse<Buffer> r = post(client, "/api/v1/staff", token, new JsonObject().put("email", "x@y.test").put("name", "X")
          .put("role", "ADMIN").put("password", "long enough password"));
      assertEquals(403, r.statusCode());
      assertEquals("FORBIDDEN", errorCode(r));
    }
    assertEquals(403, get(client, "/api/v1/staff", styal.staffToken(client, Role.OFFICER)).statusCode(), "staff list is for admins");
    assertEquals(401, get(client, "/api/v1/prisoners", null).statusCode());
  }

  @Test
  void peopleOutsideFollowTheSafeguardingRules(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String fw = styal.staffToken(client, Role.FAMILY_WORKER);
    HttpResponse<Buffer> child = post(client, "/api/v1/people", fw, new JsonObject().put("kind", "CHILD").put("name", "Leo")
        .put("email", "leo@test.kinlink.test").put("password", "a long password here"));
    assertEquals(422, child.statusCode());
    assertEquals("CHILD_NO_SIGN_IN", errorCode(child));
    HttpResponse<Buffer> sw = post(client, "/api/v1/people", fw, new JsonObject().put("kind", "SOCIAL_WORKER").put("name", "Priya")
        .put("email", "sw-" + System.nanoTime() + "@test.kinlink.test").put("password", "a long password here"));
    assertEquals(201, sw.statusCode(), sw.bodyAsString());
    String secret = sw.bodyAsJsonObject().getString("totp_secret");
    assertNotNull(secret, "a professional gets a TOTP secret once");
    assertTrue(sw.bodyAsJsonObject().getString("otpauth_uri").startsWith("otpauth://totp/"));
    String id = sw.bodyAsJsonObject().getString("id");
    assertNull(get(client, "/api/v1/people/" + id, fw).bodyAsJsonObject().getString("totp_secret"), "and never again");
    HttpResponse<Buffer> signIn = post(client, "/api/v1/auth/login", new JsonObject().put("email", sw.bodyAsJsonObject().getString("email"))
        .put("password", "a long password here").put("otp", Totp.code(secret, Totp.step(kinlink.clock().instant()))));
    assertEquals(200, signIn.statusCode(), signIn.bodyAsString());
    HttpResponse<Buffer> verified = patch(client, "/api/v1/people/" + id, fw, new JsonObject().put("verified", true).put("reason", "ID checked"));
    assertEquals(200, verified.statusCode(), verified.bodyAsString());
    assertTrue(verified.bodyAsJsonObject().getBoolean("verified"));
    assertEquals(404, get(client, "/api/v1/people/" + id, send.staffToken(client, Role.OFFICER)).statusCode());

    String father = AuthFixture.prisonNumber();
    HttpResponse<Buffer> link = post(client, "/api/v1/people", fw, new JsonObject().put("kind", "PARENT").put("name", "Dad")
        .put("prisoner_id", "pr-" + father));
    assertEquals(422, link.statusCode(), "a link must name a real prisoner");
  }

  @Test
  void adminsManageStaffAndEveryChangeIsAuditedWithoutThePassword(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String admin = styal.staffToken(client, Role.ADMIN);
    String email = "new-officer-" + System.nanoTime() + "@test.kinlink.test";
    HttpResponse<Buffer> created = post(client, "/api/v1/staff", admin, new JsonObject().put("email", email).put("name", "New Officer")
        .put("role", "OFFICER").put("password", "first password 123"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject s = created.bodyAsJsonObject();
    assertEquals(styal.est, s.getString("establishment"));
    String secret = s.getString("totp_secret");
    String id = s.getString("id");
    String firstToken = post(client, "/api/v1/auth/login", new JsonObject().put("email", email).put("password", "first password 123")
        .put("otp", styal.code(secret))).bodyAsJsonObject().getString("access_token");
    // the admin chose that password: it opens only the password change until its owner has chosen her own
    assertEquals(403, get(client, "/api/v1/prisoners", firstToken).statusCode());
    HttpResponse<Buffer> changed = post(client, "/api/v1/auth/password", firstToken, new JsonObject()
        .put("current_password", "first password 123").put("new_password", "her own password 789"));
    assertEquals(200, changed.statusCode(), changed.bodyAsString());
    String officerToken = changed.bodyAsJsonObject().getString("access_token");
    assertEquals(200, get(client, "/api/v1/prisoners", officerToken).statusCode());

    HttpResponse<Buffer> disabled = patch(client, "/api/v1/staff/" + id, admin, new JsonObject().put("disabled", true).put("password", "second password 456"));
    assertEquals(200, disabled.statusCode(), disabled.bodyAsString());
    assertEquals(401, get(client, "/api/v1/prisoners", officerToken).statusCode(), "disabling ends the sessions at once");

    var update = styal.audit("staff.update").stream().filter(e -> id.equals(e.getJsonObject("details").getString("staff"))).findFirst().orElseThrow();
    assertFalse(update.getJsonObject("details").getJsonObject("before").getBoolean("disabled"));
    assertTrue(update.getJsonObject("details").getJsonObject("after").getBoolean("disabled"));
    assertTrue(update.getJsonObject("details").getBoolean("password_changed"));
    String log = styal.audit().toString();
    assertFalse(log.contains("second password") || log.contains("first password") || log.contains("argon2") || log.contains(secret));

    JsonArray list = get(client, "/api/v1/staff?limit=200", admin).bodyAsJsonObject().getJsonArray("items");
    assertTrue(list.stream().anyMatch(x -> id.equals(((JsonObject) x).getString("id"))));
    assertFalse(list.encode().contains("password_hash"));
    assertEquals(404, patch(client, "/api/v1/staff/" + id, send.staffToken(client, Role.ADMIN), new JsonObject().put("disabled", false)).statusCode());
  }

  @Test
  void clearanceChangesNeedAnAssessorAndAReason(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    var p = styal.prisoner("1111");
    String officer = styal.staffToken(client, Role.OFFICER);
    assertEquals(403, patch(client, "/api/v1/prisoners/" + p.id(), officer, new JsonObject().put("clearance", "NONE").put("reason", "risk")).statusCode());
    assertEquals(400, patch(client, "/api/v1/prisoners/" + p.id(), officer, new JsonObject().put("clearance", "NONE")).statusCode());
    String fw = styal.staffToken(client, Role.FAMILY_WORKER);
    HttpResponse<Buffer> r = patch(client, "/api/v1/prisoners/" + p.id(), fw,
        new JsonObject().put("flags", new JsonArray().add("RISK_TO_CHILDREN")).put("reason", "new information from probation"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("NONE", r.bodyAsJsonObject().getString("clearance"), "a new risk flag drops clearance until assessed");
    var change = styal.audit("prisoner.update").stream().filter(e -> p.id().equals(e.getString("prisoner_id"))).findFirst().orElseThrow();
    assertEquals("FULL", change.getJsonObject("details").getJsonObject("before").getString("clearance"));
    assertEquals("NONE", change.getJsonObject("details").getJsonObject("after").getString("clearance"));
  }

  @Test
  void badBodiesAre400AndOversizedOnes413(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String officer = styal.staffToken(client, Role.OFFICER);
    HttpResponse<Buffer> wrongType = post(client, "/api/v1/prisoners", officer, newPrisoner(AuthFixture.prisonNumber()).put("name", 42));
    assertEquals(400, wrongType.statusCode());
    assertEquals("INVALID_REQUEST", errorCode(wrongType));
    HttpResponse<Buffer> badNumber = post(client, "/api/v1/prisoners", officer, newPrisoner("AB12345"));
    assertEquals(400, badNumber.statusCode());
    HttpResponse<Buffer> notJson = Gateway.await(client.post("/api/v1/prisoners").putHeader("Authorization", "Bearer " + officer)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{nope")));
    assertEquals(400, notJson.statusCode());
    assertNotNull(notJson.bodyAsJsonObject().getJsonObject("error").getString("code"));
    String huge = "x".repeat((int) gateway.config().maxBodyBytes() + 10);
    HttpResponse<Buffer> big = Gateway.await(client.post("/api/v1/prisoners").putHeader("Authorization", "Bearer " + officer)
        .sendJsonObject(newPrisoner(AuthFixture.prisonNumber()).put("name", huge)));
    assertEquals(413, big.statusCode());
    assertEquals("TOO_LARGE", errorCode(big));
  }

  @Test
  void aPrisonerIsNamedByHerPrisonNumberAndOnlyHerEstablishmentFindsHer(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String officer = styal.staffToken(client, Role.OFFICER);
    String number = AuthFixture.prisonNumber();
    JsonObject created = post(client, "/api/v1/prisoners", officer, newPrisoner(number)).bodyAsJsonObject();
    HttpResponse<Buffer> byNumber = get(client, "/api/v1/prisoners/" + number, officer);
    assertEquals(200, byNumber.statusCode(), byNumber.bodyAsString());
    assertEquals(created.getString("id"), byNumber.bodyAsJsonObject().getString("id"));
    assertEquals(200, get(client, "/api/v1/prisoners/" + number.toLowerCase(java.util.Locale.ROOT), officer).statusCode(),
        "typed in lower case too");
    assertEquals(200, get(client, "/api/v1/prisoners/" + created.getString("id"), officer).statusCode(), "the internal id still works");
    HttpResponse<Buffer> renamed = patch(client, "/api/v1/prisoners/" + number, officer,
        new JsonObject().put("name", "Jane Renamed").put("reason", "deed poll"));
    assertEquals(200, renamed.statusCode(), renamed.bodyAsString());
    assertEquals("Jane Renamed", renamed.bodyAsJsonObject().getString("name"));
    assertEquals(200, post(client, "/api/v1/prisoners/" + number + "/unlock", officer, new JsonObject()).statusCode());
    HttpResponse<Buffer> elsewhere = get(client, "/api/v1/prisoners/" + number, send.staffToken(client, Role.OFFICER));
    assertEquals(404, elsewhere.statusCode());
    assertEquals("NOT_FOUND", errorCode(elsewhere));
  }

  @Test
  void searchCoversTheWholeEstablishmentInOpaquePages(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    AuthFixture fresh = new AuthFixture(gateway);
    String officer = fresh.staffToken(client, Role.OFFICER);
    String surname = "Lopez" + UUID.randomUUID().toString().substring(0, 6);
    String wanted = null;
    for (int i = 0; i < 7; i++) {
      String number = AuthFixture.prisonNumber();
      String name = i < 5 ? "Maria " + surname + " " + i : "Other Person " + i;
      assertEquals(201, post(client, "/api/v1/prisoners", officer, newPrisoner(number).put("name", name)).statusCode());
      if (i == 6) {
        wanted = number;
      }
    }
    Set<String> found = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = get(client, "/api/v1/prisoners?limit=2&q=" + surname.toLowerCase(java.util.Locale.ROOT)
          + (cursor == null ? "" : "&cursor=" + cursor), officer).bodyAsJsonObject();
      assertTrue(page.containsKey("items") && page.containsKey("next_cursor"), page.encode());
      page.getJsonArray("items").forEach(x -> {
        assertTrue(((JsonObject) x).getString("name").contains(surname));
        found.add(((JsonObject) x).getString("prison_number"));
      });
      cursor = page.getString("next_cursor");
      if (cursor != null) {
        assertFalse(cursor.contains("pr-"), "the cursor is opaque: " + cursor);
      }
      pages++;
    } while (cursor != null && pages < 10);
    assertEquals(5, found.size(), "every match, across pages");
    String last = wanted;
    JsonArray byNumber = get(client, "/api/v1/prisoners?q=" + last.substring(1, 6).toLowerCase(java.util.Locale.ROOT), officer)
        .bodyAsJsonObject().getJsonArray("items");
    assertTrue(byNumber.stream().anyMatch(x -> last.equals(((JsonObject) x).getString("prison_number"))), "by part of a prison number");
    assertEquals(0, get(client, "/api/v1/prisoners?q=" + surname, send.staffToken(client, Role.OFFICER))
        .bodyAsJsonObject().getJsonArray("items").size(), "another establishment finds none of them");

    String fw = fresh.staffToken(client, Role.FAMILY_WORKER);
    String carerName = "Quinn" + UUID.randomUUID().toString().substring(0, 6);
    for (int i = 0; i < 3; i++) {
      assertEquals(201, post(client, "/api/v1/people", fw, new JsonObject().put("kind", "CARER").put("name", "Zed " + carerName + i))
          .statusCode());
    }
    JsonObject people = get(client, "/api/v1/people?q=" + carerName.toUpperCase(java.util.Locale.ROOT) + "&limit=10", fw).bodyAsJsonObject();
    assertEquals(3, people.getJsonArray("items").size(), people.encode());

    HttpResponse<Buffer> forged = get(client, "/api/v1/prisoners?cursor=pr-A0000AA", officer);
    assertEquals(400, forged.statusCode());
    assertEquals("INVALID_CURSOR", errorCode(forged));
    assertEquals("cursor", forged.bodyAsJsonObject().getJsonObject("error").getString("field"));
  }

  @Test
  void createConflictsAnswerTheSameWhateverEstablishmentHoldsTheRecord(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String styalOfficer = styal.staffToken(client, Role.OFFICER);
    String sendOfficer = send.staffToken(client, Role.OFFICER);
    String number = AuthFixture.prisonNumber();
    assertEquals(201, post(client, "/api/v1/prisoners", styalOfficer, newPrisoner(number)).statusCode());
    HttpResponse<Buffer> ownAgain = post(client, "/api/v1/prisoners", styalOfficer, newPrisoner(number));
    HttpResponse<Buffer> fromSend = post(client, "/api/v1/prisoners", sendOfficer, newPrisoner(number));
    assertEquals(409, fromSend.statusCode());
    assertEquals(ownAgain.bodyAsJsonObject(), fromSend.bodyAsJsonObject(), "nothing tells Send the record is Styal's");
    assertFalse(fromSend.bodyAsString().contains(styal.est) || fromSend.bodyAsString().contains("Jane"));

    String email = "dup-" + UUID.randomUUID() + "@example.test";
    JsonObject person = new JsonObject().put("kind", "SOCIAL_WORKER").put("name", "Sam Worker").put("email", email)
        .put("password", "a long enough password");
    assertEquals(201, post(client, "/api/v1/people", styalOfficer, person).statusCode());
    HttpResponse<Buffer> emailOwn = post(client, "/api/v1/people", styalOfficer, person);
    HttpResponse<Buffer> emailSend = post(client, "/api/v1/people", sendOfficer, person);
    assertEquals(409, emailSend.statusCode());
    assertEquals(emailOwn.bodyAsJsonObject(), emailSend.bodyAsJsonObject());

    String device = "kiosk-" + UUID.randomUUID().toString().substring(0, 8);
    String styalAdmin = styal.staffToken(client, Role.ADMIN);
    String sendAdmin = send.staffToken(client, Role.ADMIN);
    JsonObject kiosk = new JsonObject().put("id", device).put("location", "Visits hall");
    assertEquals(201, post(client, "/api/v1/devices", styalAdmin, kiosk).statusCode());
    HttpResponse<Buffer> deviceOwn = post(client, "/api/v1/devices", styalAdmin, kiosk);
    HttpResponse<Buffer> deviceSend = post(client, "/api/v1/devices", sendAdmin, kiosk);
    assertEquals(409, deviceSend.statusCode());
    assertEquals(deviceOwn.bodyAsJsonObject(), deviceSend.bodyAsJsonObject());

    // a father held elsewhere is as unknown as one who does not exist
    JsonObject father = new JsonObject().put("kind", "PARENT").put("name", "Dad Elsewhere");
    HttpResponse<Buffer> heldElsewhere = post(client, "/api/v1/people", sendOfficer, father.copy().put("prisoner_id", number));
    HttpResponse<Buffer> nobody = post(client, "/api/v1/people", sendOfficer, father.copy().put("prisoner_id", "Z9999ZZ"));
    assertEquals(422, heldElsewhere.statusCode(), heldElsewhere.bodyAsString());
    assertEquals(errorCode(nobody), errorCode(heldElsewhere));
  }
}
