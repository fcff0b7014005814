package org.kinlink.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;
import static org.kinlink.gateway.auth.AuthFixture.errorField;
import static org.kinlink.gateway.auth.AuthFixture.errorMessage;
import static org.kinlink.gateway.auth.AuthFixture.get;
import static org.kinlink.gateway.auth.AuthFixture.post;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.people.PrisonNumber;
import org.kinlink.gateway.realtime.TestSocket;
import org.kinlink.gateway.support.AuditFaults;
import org.kinlink.gateway.support.Eventually;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * A kiosk PIN staff set (registering her, or a new PIN on her record) is the officer's as much as
 * hers: her sign-in with it opens a session that may only choose her own PIN (every other operation
 * and the WebSocket refuse it), the current PIN counts towards her kiosk lock, a too-simple new PIN is
 * refused on its field in plain words, and the change ends every session and answers a full one,
 * audited without PIN material. PINs a prisoner chose (the fixtures', the demo's) are unaffected.
 */
class PinChangeTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  /** Five digits so that none turns up by chance inside an id in the audit log. */
  static final String STAFF_PIN = "25807";
  static final String CHOSEN = "736149";

  static Gateway gateway;
  static AuthFixture fx;
  static String officer;
  static KioskDevice kiosk;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    fx = new AuthFixture(gateway);
    officer = fx.staffToken(kinlink.client(), Role.OFFICER);
    kiosk = fx.device(true);
  }

  /** A prisoner an officer registered over the API with a PIN the officer chose: her prison number. */
  static String registered(WebClient client) {
    String number = AuthFixture.prisonNumber();
    // her prison number's digits are a fine PIN in themselves and in none of this test's PINs, so each refusal below has one cause
    while (!plainDigits(number.substring(1, 5))) {
      number = AuthFixture.prisonNumber();
    }
    HttpResponse<Buffer> r = post(client, "/api/v1/prisoners", officer, new JsonObject().put("prison_number", number)
        .put("name", "Mary Issued").put("pin", STAFF_PIN));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return number;
  }

  private static boolean plainDigits(String digits) {
    return PinRule.problem(digits, null) == null
        && List.of(STAFF_PIN, CHOSEN, "48213", "13571", "13575").stream().noneMatch(pin -> pin.contains(digits));
  }

  static JsonObject signedIn(WebClient client, String number, String pin) {
    HttpResponse<Buffer> r = AuthFixture.kiosk(client, number, pin, kiosk.id());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static HttpResponse<Buffer> change(WebClient client, String token, Object current, Object next) {
    return post(client, "/api/v1/auth/pin", token, new JsonObject().put("current_pin", current).put("new_pin", next));
  }

  @Test
  void aPinStaffSetOpensASessionThatMayOnlyChooseHerOwnPin(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String number = registered(client);
    JsonObject tokens = signedIn(client, number, STAFF_PIN);
    assertTrue(tokens.getBoolean("pin_change_required"), tokens.encode());
    assertNull(tokens.getValue("password_change_required"), "a prisoner's answer names her PIN, not a password");
    String token = tokens.getString("access_token");

    // every operation of the contract but the PIN change and sign-out, the password change included
    assertEquals(List.of(), PasswordChangeTest.notChangeOnlyRefused(client, token, "authChangePin"));
    HttpResponse<Buffer> conversations = get(client, "/api/v1/conversations", token);
    assertTrue(errorMessage(conversations).contains("Choose your own PIN first"), "in plain words: " + errorMessage(conversations));

    // a refreshed token of that session is just as restricted
    HttpResponse<Buffer> refreshed = post(client, "/api/v1/auth/refresh", new JsonObject().put("refresh_token", tokens.getString("refresh_token")));
    assertEquals(200, refreshed.statusCode(), refreshed.bodyAsString());
    assertTrue(refreshed.bodyAsJsonObject().getBoolean("pin_change_required"));
    String second = refreshed.bodyAsJsonObject().getString("access_token");
    assertEquals("PASSWORD_CHANGE_REQUIRED", errorCode(get(client, "/api/v1/me", second)));

    try (TestSocket ws = TestSocket.open(vertx, gateway)) {
      ws.send(new JsonObject().put("type", "auth").put("access_token", second));
      JsonObject error = ws.next("error").getJsonObject("error");
      assertEquals("PASSWORD_CHANGE_REQUIRED", error.getString("code"));
      assertTrue(error.getString("message").contains("PIN"), error.encode());
    }
    assertEquals(204, post(client, "/api/v1/auth/logout", second, new JsonObject()).statusCode(), "she may still sign out");
    assertEquals("INVALID_TOKEN", errorCode(get(client, "/api/v1/me", second)));

    // the register entry says a PIN was set and must be changed, never the PIN
    JsonObject created = fx.audit("prisoner.create").stream()
        .filter(e -> e.getString("prisoner_id", "").endsWith(number)).findFirst().orElseThrow();
    assertTrue(created.getJsonObject("details").getBoolean("pin_reset"), created.encode());
    assertTrue(created.getJsonObject("details").getBoolean("pin_change_required"), created.encode());
    JsonObject signIn = fx.audit("auth.kiosk").stream().filter(e -> "OK".equals(e.getString("outcome"))
        && e.getString("prisoner_id", "").endsWith(number)).findFirst().orElseThrow();
    assertTrue(signIn.getJsonObject("details").getBoolean("pin_change_required"), signIn.encode());
  }

  @Test
  void eachTooSimpleOrMalformedNewPinIsRefusedOnItsFieldInPlainWordsAndNothingChanges(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String number = registered(client);
    String token = signedIn(client, number, STAFF_PIN).getString("access_token");
    String digits = number.substring(1, 5);
    Map<String, String> refused = new java.util.LinkedHashMap<>();
    refused.put("12a4", "INVALID_PIN");
    refused.put("123", "INVALID_PIN");
    refused.put("123456789", "INVALID_PIN");
    refused.put(" 4821", "INVALID_PIN");
    refused.put("7777", "PIN_REPEATED");
    refused.put("00000000", "PIN_REPEATED");
    refused.put("1234", "PIN_SEQUENCE");
    refused.put("9876", "PIN_SEQUENCE");
    refused.put("0123", "PIN_SEQUENCE");
    refused.put("8901", "PIN_SEQUENCE");
    refused.put("345678", "PIN_SEQUENCE");
    refused.put(digits, "PIN_PRISON_NUMBER");
    refused.put(digits + "91", "PIN_PRISON_NUMBER");
    refused.put(STAFF_PIN, "PIN_UNCHANGED");
    for (Map.Entry<String, String> c : refused.entrySet()) {
      HttpResponse<Buffer> r = change(client, token, STAFF_PIN, c.getKey());
      assertEquals(422, r.statusCode(), c.getKey() + ": " + r.bodyAsString());
      assertEquals(c.getValue(), errorCode(r), c.getKey());
      assertEquals("new_pin", errorField(r), c.getKey());
    }
    assertEquals("Your new PIN must be 4 to 8 numbers.", errorMessage(change(client, token, STAFF_PIN, "12a4")));
    assertTrue(errorMessage(change(client, token, STAFF_PIN, "1234")).contains("numbers in a row, like 1234"));
    assertTrue(errorMessage(change(client, token, STAFF_PIN, "7777")).contains("same number"));
    assertTrue(errorMessage(change(client, token, STAFF_PIN, digits)).contains("prison number"));

    // the wrong shape: missing, wrong type, unknown field; 4xx in the one error shape, never 5xx
    List<JsonObject> bad = List.of(new JsonObject(), new JsonObject().put("new_pin", CHOSEN),
        new JsonObject().put("current_pin", STAFF_PIN), new JsonObject().put("current_pin", STAFF_PIN).put("new_pin", 736149),
        new JsonObject().put("current_pin", 25807).put("new_pin", CHOSEN),
        new JsonObject().put("current_pin", STAFF_PIN).put("new_pin", CHOSEN).put("pin", CHOSEN),
        new JsonObject().put("current_pin", STAFF_PIN).put("new_pin", (String) null));
    for (JsonObject body : bad) {
      HttpResponse<Buffer> r = post(client, "/api/v1/auth/pin", token, body);
      assertEquals(400, r.statusCode(), body.encode() + ": " + r.bodyAsString());
      assertTrue(r.bodyAsJsonObject().getJsonObject("error").getString("message").length() > 10, r.bodyAsString());
    }
    HttpResponse<Buffer> notJson = Gateway.await(client.post("/api/v1/auth/pin").putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"current_pin\":")));
    assertEquals(400, notJson.statusCode(), notJson.bodyAsString());

    assertEquals(401, AuthFixture.kiosk(client, number, CHOSEN, kiosk.id()).statusCode(), "nothing changed");
    assertTrue(signedIn(client, number, STAFF_PIN).getBoolean("pin_change_required"), "and none of it counted as a wrong try");
  }

  @Test
  void aWrongCurrentPinCountsTowardsHerKioskLock(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String number = registered(client);
    String token = signedIn(client, number, STAFF_PIN).getString("access_token");
    for (int i = 1; i <= 4; i++) {
      HttpResponse<Buffer> r = change(client, token, "1357" + i, CHOSEN);
      assertEquals(422, r.statusCode(), r.bodyAsString());
      assertEquals("WRONG_PIN", errorCode(r));
      assertEquals("current_pin", errorField(r));
    }
    HttpResponse<Buffer> fifth = change(client, token, "13575", CHOSEN);
    assertEquals(429, fifth.statusCode(), "the fifth wrong PIN in a row locks, as on the kiosk: " + fifth.bodyAsString());
    assertEquals("SIGN_IN_LOCKED", errorCode(fifth));
    assertEquals(429, AuthFixture.kiosk(client, number, STAFF_PIN, kiosk.id()).statusCode(), "the lock is the kiosk's");
    assertEquals(429, change(client, token, STAFF_PIN, CHOSEN).statusCode(), "even the right PIN waits");

    List<JsonObject> failed = fx.audit(PasswordChangeService.PIN_ACTION).stream()
        .filter(e -> e.getString("prisoner_id", "").endsWith(number) && "FAILED".equals(e.getString("outcome"))).toList();
    assertEquals(5, failed.size());
    assertEquals("BAD_PIN", failed.get(0).getJsonObject("details").getString("reason"));
    assertTrue(fx.audit("auth.lock").stream().anyMatch(e -> e.getString("prisoner_id", "").endsWith(number)));
    assertFalse(fx.audit().toString().contains("1357"), "the tries are not in the log");
  }

  @Test
  void afterTheChangeOnlyHerNewPinWorksEverySessionOnEveryNodeEndedAndItIsAuditedOnce(Vertx vertx) {
    List<Gateway> nodes = kinlink.nodes(2);
    WebClient a = kinlink.client(nodes.get(0));
    WebClient b = kinlink.client(nodes.get(1));
    String number = registered(a);
    JsonObject onB = signedIn(b, number, STAFF_PIN);
    String token = signedIn(a, number, STAFF_PIN).getString("access_token");

    long began = System.nanoTime();
    HttpResponse<Buffer> changed = change(a, token, STAFF_PIN, CHOSEN);
    System.out.println("FIGURE PIN change (check, hash, store, end 2 sessions on 2 nodes, new session): "
        + (System.nanoTime() - began) / 1_000_000 + " ms");
    assertEquals(200, changed.statusCode(), changed.bodyAsString());
    JsonObject fresh = changed.bodyAsJsonObject();
    assertFalse(fresh.getBoolean("pin_change_required"), fresh.encode());
    assertEquals(200, get(a, "/api/v1/conversations", fresh.getString("access_token")).statusCode(), "a full session");
    assertEquals(200, get(b, "/api/v1/me", fresh.getString("access_token")).statusCode(), "on every node");
    assertTrue(get(a, "/api/v1/prisoners/" + number, officer).bodyAsJsonObject().getBoolean("own_pin"),
        "staff see that her PIN is now her own");

    assertEquals("INVALID_TOKEN", errorCode(get(a, "/api/v1/me", token)), "the session it was changed in ended");
    Eventually.await("node B hears that the other session ended", Duration.ofSeconds(10),
        () -> get(b, "/api/v1/me", onB.getString("access_token")).statusCode() == 401);
    assertEquals(401, post(b, "/api/v1/auth/refresh", new JsonObject().put("refresh_token", onB.getString("refresh_token")))
        .statusCode(), "and it cannot be refreshed");

    HttpResponse<Buffer> old = AuthFixture.kiosk(a, number, STAFF_PIN, kiosk.id());
    assertEquals(401, old.statusCode(), "the PIN staff knew no longer works");
    assertEquals("INVALID_CREDENTIALS", errorCode(old));
    JsonObject again = signedIn(b, number, CHOSEN);
    assertFalse(again.getBoolean("pin_change_required"), "hers does, unrestricted");
    assertEquals(200, get(b, "/api/v1/conversations", again.getString("access_token")).statusCode());

    List<JsonObject> audited = fx.audit(PasswordChangeService.PIN_ACTION).stream()
        .filter(e -> e.getString("prisoner_id", "").endsWith(number) && "OK".equals(e.getString("outcome"))).toList();
    assertEquals(1, audited.size());
    assertTrue(audited.get(0).getJsonObject("details").getBoolean("was_one_time"));
    assertTrue(audited.get(0).getJsonObject("details").getBoolean("sessions_ended"));
    String log = fx.audit().toString();
    assertFalse(log.contains(CHOSEN) || log.contains(STAFF_PIN) || log.contains("argon2") || log.contains("pin_hash"),
        "never a PIN or its hash");

    // a new PIN staff set on her record is one-time again, and audited as a reset
    String id = PrisonNumber.prisonerId(number);
    HttpResponse<Buffer> reset = Gateway.await(a.patch("/api/v1/prisoners/" + number).putHeader("Authorization", "Bearer " + officer)
        .sendJsonObject(new JsonObject().put("pin", "48213").put("reason", "she forgot her PIN")));
    assertEquals(200, reset.statusCode(), reset.bodyAsString());
    Eventually.await("whoever signed in with her old PIN is signed out, on every node", Duration.ofSeconds(10),
        () -> get(b, "/api/v1/me", again.getString("access_token")).statusCode() == 401);
    assertTrue(signedIn(a, number, "48213").getBoolean("pin_change_required"));
    JsonObject update = fx.audit("prisoner.update").stream().filter(e -> id.equals(e.getString("prisoner_id"))).findFirst().orElseThrow();
    assertTrue(update.getJsonObject("details").getBoolean("pin_reset"), update.encode());
    assertTrue(update.getJsonObject("details").getBoolean("pin_change_required"), update.encode());
    assertTrue(update.getJsonObject("details").getBoolean("sessions_ended"), update.encode());
    assertFalse(update.encode().contains("48213"), "never the PIN");
  }

  @Test
  void anotherEstablishmentCannotReachHerAndPinsPrisonersChoseAreNotRestricted(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String number = registered(client);
    AuthFixture other = kinlink.establishment();
    String theirOfficer = other.staffToken(client, Role.OFFICER);
    HttpResponse<Buffer> reset = Gateway.await(client.patch("/api/v1/prisoners/" + number).putHeader("Authorization", "Bearer " + theirOfficer)
        .sendJsonObject(new JsonObject().put("pin", "48213").put("reason", "not theirs")));
    assertEquals(404, reset.statusCode(), "another establishment cannot set her PIN: " + reset.bodyAsString());
    HttpResponse<Buffer> elsewhere = AuthFixture.kiosk(client, number, STAFF_PIN, other.device(true).id());
    assertEquals(401, elsewhere.statusCode(), "nor sign her in on its kiosks");
    assertEquals("INVALID_CREDENTIALS", errorCode(elsewhere));
    assertTrue(signedIn(client, number, STAFF_PIN).getBoolean("pin_change_required"), "her mark stays for her own kiosks");

    // a prisoner whose PIN is hers (the fixtures', the demo's) signs in to a full session, and may change it
    AuthFixture.SignedInPrisoner own = fx.signedInPrisoner(client);
    assertFalse(own.tokens().getBoolean("pin_change_required"), own.tokens().encode());
    assertEquals(200, get(client, "/api/v1/conversations", own.token()).statusCode());
    HttpResponse<Buffer> password = post(client, "/api/v1/auth/password", own.token(),
        new JsonObject().put("current_password", "2468").put("new_password", "a long new password 42"));
    assertEquals(403, password.statusCode(), password.bodyAsString());
    assertTrue(errorMessage(password).contains("/api/v1/auth/pin"), errorMessage(password));
    HttpResponse<Buffer> changed = change(client, own.token(), "2468", "5173");
    assertEquals(200, changed.statusCode(), changed.bodyAsString());
    assertEquals(false, fx.audit(PasswordChangeService.PIN_ACTION).stream()
        .filter(e -> own.prisoner().id().equals(e.getString("prisoner_id")) && "OK".equals(e.getString("outcome")))
        .findFirst().orElseThrow().getJsonObject("details").getBoolean("was_one_time"));

    // and people outside and staff have no PIN to change
    HttpResponse<Buffer> staff = change(client, officer, "2468", "5173");
    assertEquals(403, staff.statusCode(), staff.bodyAsString());
    assertTrue(errorMessage(staff).contains("/api/v1/auth/password"), errorMessage(staff));
  }

  @Test
  void aChangeWhoseAuditFailsIsSavedWithItsEntryParkedAndAuditedOnceBySweeping(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String number = registered(client);
    String token = signedIn(client, number, STAFF_PIN).getString("access_token");
    AuditFaults.quiet(gateway);

    HttpResponse<Buffer> r = AuditFaults.refusingAppends(kinlink.redis(), () -> change(client, token, STAFF_PIN, CHOSEN));
    assertEquals(503, r.statusCode(), r.bodyAsString());
    assertEquals("AUDIT_PENDING", errorCode(r));
    assertTrue(errorMessage(r).contains("new PIN is saved"), errorMessage(r));
    String id = PrisonNumber.prisonerId(number);
    String parked = AuditFaults.parkedChange(kinlink.redis(), audit -> PasswordChangeService.PIN_ACTION.equals(audit.getString("action"))
        && id.equals(audit.getString("prisoner_id")));
    assertNotNull(parked, "the new PIN and the cleared mark are committed together with their pending audit entry");
    assertFalse(signedIn(client, number, CHOSEN).getBoolean("pin_change_required"), "her new PIN is the one that works");

    kinlink.clock().advance(Duration.ofSeconds(11));
    assertTrue(Gateway.await(AuditFaults.quiet(kinlink.nodes(2).get(1)).sweep()) >= 1);
    List<JsonObject> audited = fx.audit(PasswordChangeService.PIN_ACTION).stream()
        .filter(e -> id.equals(e.getString("prisoner_id")) && "OK".equals(e.getString("outcome"))).toList();
    assertEquals(1, audited.size(), "audited once, by the sweeper");
    assertEquals(parked, audited.get(0).getJsonObject("details").getString("change_id"));
  }
}
