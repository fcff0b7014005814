package org.kinlink.gateway.auth;

import org.kinlink.gateway.identity.Role;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;
import static org.kinlink.gateway.auth.AuthFixture.get;
import static org.kinlink.gateway.auth.AuthFixture.kiosk;
import static org.kinlink.gateway.auth.AuthFixture.post;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.support.KinlinkExtension;

class KioskSignInTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  // for each test, its own establishment and another one, both on node 0
  final Gateway gateway = kinlink.gateway();
  final AuthFixture fx = kinlink.establishment();
  final AuthFixture other = kinlink.establishment();

  @Test
  void prisonerSignsInOnAnEnrolledKioskOfHerEstablishment(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    Prisoner p = fx.prisoner("2580");
    KioskDevice d = fx.device(true);
    HttpResponse<Buffer> r = kiosk(client, p.prisonNumber().toLowerCase(), "2580", d.id());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject tokens = r.bodyAsJsonObject();
    assertNotNull(tokens.getString("access_token"));
    assertNotNull(tokens.getString("refresh_token"));
    assertEquals(600, tokens.getLong("expires_in"));
    HttpResponse<Buffer> me = get(client, "/api/v1/me", tokens.getString("access_token"));
    assertEquals(200, me.statusCode(), me.bodyAsString());
    assertEquals("PRISONER", me.bodyAsJsonObject().getString("role"));
    assertEquals(p.id(), me.bodyAsJsonObject().getString("person_id"));
    assertEquals(fx.est, me.bodyAsJsonObject().getJsonObject("establishment").getString("id"));
    assertTrue(fx.audit("auth.kiosk").stream().anyMatch(e -> "OK".equals(e.getString("outcome")) && p.id().equals(e.getString("prisoner_id"))));
  }

  @Test
  void wrongPinUnknownNumberAndAnotherEstablishmentsKioskAllGetTheSameAnswer(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    Prisoner p = fx.prisoner("1357");
    KioskDevice ours = fx.device(true);
    KioskDevice theirs = other.device(true);
    HttpResponse<Buffer> wrongPin = kiosk(client, p.prisonNumber(), "1358", ours.id());
    HttpResponse<Buffer> unknown = kiosk(client, AuthFixture.prisonNumber(), "1357", ours.id());
    HttpResponse<Buffer> otherKiosk = kiosk(client, p.prisonNumber(), "1357", theirs.id());
    for (HttpResponse<Buffer> r : List.of(wrongPin, unknown, otherKiosk)) {
      assertEquals(401, r.statusCode(), r.bodyAsString());
      assertEquals("INVALID_CREDENTIALS", errorCode(r));
      assertEquals(wrongPin.bodyAsJsonObject(), r.bodyAsJsonObject(), "no answer tells which part was wrong");
    }
    List<String> reasons = fx.audit("auth.kiosk").stream().filter(e -> "FAILED".equals(e.getString("outcome")))
        .map(e -> e.getJsonObject("details").getString("reason")).toList();
    assertTrue(reasons.contains("BAD_PIN"), reasons.toString());
    assertTrue(reasons.contains("UNKNOWN_PRISON_NUMBER"), reasons.toString());
    assertTrue(other.audit("auth.kiosk").stream().anyMatch(e -> "WRONG_ESTABLISHMENT".equals(e.getJsonObject("details").getString("reason"))
        && e.getString("prisoner_id") == null), "the other establishment's log records it without naming our prisoner");
    assertFalse(fx.audit().toString().contains("1358"), "the PIN never reaches the log");
  }

  @Test
  void unknownAndWithdrawnDevicesAreRefusedAndAudited(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    Prisoner p = fx.prisoner("4680");
    KioskDevice withdrawn = fx.device(false);
    HttpResponse<Buffer> unknown = kiosk(client, p.prisonNumber(), "4680", "kiosk-nobody-knows");
    assertEquals(401, unknown.statusCode());
    assertEquals("DEVICE_NOT_ENROLLED", errorCode(unknown));
    HttpResponse<Buffer> notEnrolled = kiosk(client, p.prisonNumber(), "4680", withdrawn.id());
    assertEquals(401, notEnrolled.statusCode());
    assertEquals("DEVICE_NOT_ENROLLED", errorCode(notEnrolled));
    assertTrue(fx.audit("auth.kiosk").stream().anyMatch(e -> "DEVICE_NOT_ENROLLED".equals(e.getJsonObject("details").getString("reason"))
        && withdrawn.id().equals(e.getJsonObject("details").getString("device_id"))));
  }

  @Test
  void missingFieldsAndWrongTypesAre400WithTheErrorShape(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    HttpResponse<Buffer> missing = post(client, "/api/v1/auth/kiosk", new JsonObject().put("prison_number", "A1234BC").put("device_id", "k"));
    assertEquals(400, missing.statusCode(), missing.bodyAsString());
    assertEquals("INVALID_REQUEST", errorCode(missing));
    HttpResponse<Buffer> wrongType = post(client, "/api/v1/auth/kiosk",
        new JsonObject().put("prison_number", "A1234BC").put("pin", 2580).put("device_id", "k"));
    assertEquals(400, wrongType.statusCode());
    assertEquals("INVALID_REQUEST", errorCode(wrongType));
    assertTrue(wrongType.bodyAsJsonObject().getJsonObject("error").getString("message").contains("pin"), wrongType.bodyAsString());
    HttpResponse<Buffer> badNumber = post(client, "/api/v1/auth/kiosk",
        new JsonObject().put("prison_number", "12345").put("pin", "2580").put("device_id", "k"));
    assertEquals(400, badNumber.statusCode());
    assertTrue(badNumber.bodyAsJsonObject().getJsonObject("error").getString("message").contains("prison_number"), badNumber.bodyAsString());
    HttpResponse<Buffer> notJson = Gateway.await(client.post("/api/v1/auth/kiosk").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"prison_number\": ")));
    assertEquals(400, notJson.statusCode(), notJson.bodyAsString());
    assertNotNull(notJson.bodyAsJsonObject().getJsonObject("error").getString("message"));
    assertFalse(notJson.bodyAsString().contains("Exception"));
  }

  @Test
  void fiveWrongPinsLockTheNumberThenEvenTheRightPinWaitsUntilStaffLiftIt(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    Prisoner p = fx.prisoner("9753");
    KioskDevice d = fx.device(true);
    for (int i = 1; i <= 4; i++) {
      HttpResponse<Buffer> r = kiosk(client, p.prisonNumber(), "0000", d.id());
      assertEquals(401, r.statusCode(), "try " + i);
    }
    HttpResponse<Buffer> fifth = kiosk(client, p.prisonNumber(), "0000", d.id());
    assertEquals(429, fifth.statusCode(), fifth.bodyAsString());
    assertEquals("SIGN_IN_LOCKED", errorCode(fifth));
    long retryAfter = Long.parseLong(fifth.getHeader("Retry-After"));
    assertTrue(retryAfter > 60 && retryAfter <= 15 * 60, "Retry-After " + retryAfter);
    HttpResponse<Buffer> right = kiosk(client, p.prisonNumber(), "9753", d.id());
    assertEquals(429, right.statusCode(), "the right PIN is refused while locked");
    assertNotNull(right.getHeader("Retry-After"));

    List<JsonObject> locks = fx.audit("auth.lock").stream().filter(e -> p.id().equals(e.getString("prisoner_id"))).toList();
    assertEquals(1, locks.size());
    assertEquals("LOCKED", locks.get(0).getString("outcome"));
    assertNotNull(locks.get(0).getJsonObject("details").getString("until"), "the lock entry carries its end");

    String officer = fx.staffToken(client, Role.OFFICER);
    HttpResponse<Buffer> lift = post(client, "/api/v1/prisoners/" + p.id() + "/unlock", officer, new JsonObject());
    assertEquals(200, lift.statusCode(), lift.bodyAsString());
    assertTrue(lift.bodyAsJsonObject().getBoolean("lifted"));
    assertTrue(fx.audit("auth.lock_ended").stream().anyMatch(e -> p.id().equals(e.getString("prisoner_id"))
        && "LIFTED".equals(e.getString("outcome"))));
    assertEquals(200, kiosk(client, p.prisonNumber(), "9753", d.id()).statusCode());
  }

  @Test
  void aLockOnAnUnknownNumberLooksLikeALockOnARealOne(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    KioskDevice d = fx.device(true);
    String nobody = AuthFixture.prisonNumber();
    HttpResponse<Buffer> last = null;
    for (int i = 0; i < 5; i++) {
      last = kiosk(client, nobody, "1111", d.id());
    }
    assertEquals(429, last.statusCode(), "unknown numbers lock too, so a lock reveals nothing");
  }

  @Test
  void oneSourceAddressIsSlowedDownAfterManyFailures(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    KioskDevice d = fx.device(true);
    int limit = gateway.services().auth().guard().limits().sourceFailures();
    HttpResponse<Buffer> r = null;
    for (int i = 0; i < limit; i++) {
      r = kiosk(client, AuthFixture.prisonNumber(), "1111", d.id());
      assertEquals(401, r.statusCode(), "failure " + i + ": " + r.bodyAsString());
    }
    r = kiosk(client, AuthFixture.prisonNumber(), "1111", d.id());
    assertEquals(429, r.statusCode());
    assertEquals("TOO_MANY_REQUESTS", errorCode(r));
    assertNotNull(r.getHeader("Retry-After"));
    // another address is not affected
    Prisoner p = fx.prisoner("2222");
    assertEquals(200, kiosk(AuthFixture.client(vertx, gateway), p.prisonNumber(), "2222", d.id()).statusCode());
  }
}
