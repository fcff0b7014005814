package org.kinlink.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;
import static org.kinlink.gateway.auth.AuthFixture.errorField;
import static org.kinlink.gateway.auth.AuthFixture.errorMessage;
import static org.kinlink.gateway.auth.AuthFixture.get;
import static org.kinlink.gateway.auth.AuthFixture.post;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.http.OpenApiDocument;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.realtime.TestSocket;
import org.kinlink.gateway.support.AuditFaults;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestTotp;

/**
 * A password someone else chose (an admin creating, resetting or setting it; staff registering a
 * person outside) signs in to a session that may only change it: every other operation of the API
 * and the WebSocket refuse it with PASSWORD_CHANGE_REQUIRED. Changing it checks the current password
 * as a sign-in does (wrong tries lock), refuses weak or unchanged ones naming the field, ends every
 * session and answers a full one; the change is audited once, committed with its entry.
 */
class PasswordChangeTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static final String FIRST = "first password 123";
  static final String CHOSEN = "plum kettle orbit lantern";
  /** Sign-in operations: they ignore tokens altogether. */
  static final Set<String> TOKENLESS = Set.of("authKiosk", "authKioskChallenge", "authLogin", "authRefresh");

  static Gateway gateway;
  static AuthFixture fx;
  static String admin;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    fx = new AuthFixture(gateway);
    admin = fx.staffToken(kinlink.client(), Role.ADMIN);
  }

  /** An officer an admin created over the API with a first password the admin chose. */
  record Issued(String id, String email, TestTotp totp) {}

  static Issued createdByAdmin(WebClient client) {
    String email = "issued-" + UUID.randomUUID() + "@test.kinlink.test";
    HttpResponse<Buffer> created = post(client, "/api/v1/staff", admin, new JsonObject().put("email", email)
        .put("name", "Issued Officer").put("role", "OFFICER").put("password", FIRST));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    assertTrue(created.bodyAsJsonObject().getBoolean("password_change_required"), "the admin sees the mark");
    return new Issued(created.bodyAsJsonObject().getString("id"), email, kinlink.totp(created.bodyAsJsonObject().getString("totp_secret")));
  }

  static HttpResponse<Buffer> login(WebClient client, Issued s, String password) {
    return post(client, "/api/v1/auth/login", new JsonObject().put("email", s.email()).put("password", password)
        .put("otp", s.totp().nextCode()));
  }

  static JsonObject signedIn(WebClient client, Issued s, String password) {
    HttpResponse<Buffer> r = login(client, s, password);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static HttpResponse<Buffer> change(WebClient client, String token, String current, String next) {
    return post(client, "/api/v1/auth/password", token, new JsonObject().put("current_password", current).put("new_password", next));
  }

  /**
   * Every operation of the contract but the sign-in ones, sign-out and {@code change} (the one way
   * out of a change-only session), sent with {@code token}, whatever its path or body: those that do
   * not answer 403 PASSWORD_CHANGE_REQUIRED, each as "operation: status code".
   */
  static List<String> notChangeOnlyRefused(WebClient client, String token, String change) {
    JsonObject paths = OpenApiDocument.load().getJsonObject("paths");
    List<String> wrong = new ArrayList<>();
    int tried = 0;
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (!(paths.getJsonObject(path).getValue(method) instanceof JsonObject op) || op.getString("operationId") == null) {
          continue;
        }
        String id = op.getString("operationId");
        if (TOKENLESS.contains(id) || id.equals(change) || id.equals("authLogout")) {
          continue;
        }
        String uri = path.replaceAll("\\{[^}]+}", "x");
        HttpRequest<Buffer> req = client.request(HttpMethod.valueOf(method.toUpperCase()), uri).putHeader("Authorization", "Bearer " + token);
        HttpResponse<Buffer> r = Gateway.await(req.sendJsonObject(new JsonObject()));
        tried++;
        String code = r.bodyAsString() != null && r.bodyAsString().startsWith("{") ? errorCode(r) : null;
        if (r.statusCode() != 403 || !"PASSWORD_CHANGE_REQUIRED".equals(code)) {
          wrong.add(id + ": " + r.statusCode() + " " + code);
        }
      }
    }
    assertTrue(tried > 50, "tried " + tried + " operations");
    return wrong;
  }

  @Test
  void aOneTimePasswordsSessionIsRefusedByEveryOtherOperationAndTheWebSocket(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    Issued officer = createdByAdmin(client);
    JsonObject tokens = signedIn(client, officer, FIRST);
    assertTrue(tokens.getBoolean("password_change_required"), tokens.encode());
    String token = tokens.getString("access_token");

    // every operation of the contract but the password change and sign-out, whatever its path or body
    assertEquals(List.of(), notChangeOnlyRefused(client, token, "authChangePassword"));
    HttpResponse<Buffer> me = get(client, "/api/v1/me", token);
    assertTrue(errorMessage(me).contains("new password"), "in plain words: " + errorMessage(me));

    // a refreshed token of that session is just as restricted
    HttpResponse<Buffer> refreshed = post(client, "/api/v1/auth/refresh", new JsonObject().put("refresh_token", tokens.getString("refresh_token")));
    assertEquals(200, refreshed.statusCode(), refreshed.bodyAsString());
    assertTrue(refreshed.bodyAsJsonObject().getBoolean("password_change_required"));
    String second = refreshed.bodyAsJsonObject().getString("access_token");
    assertEquals("PASSWORD_CHANGE_REQUIRED", errorCode(get(client, "/api/v1/me", second)));

    try (TestSocket ws = TestSocket.open(vertx, gateway)) {
      ws.send(new JsonObject().put("type", "auth").put("access_token", second));
      assertEquals("PASSWORD_CHANGE_REQUIRED", ws.next("error").getJsonObject("error").getString("code"));
    }
    // ... while it may still sign out
    assertEquals(204, post(client, "/api/v1/auth/logout", second, new JsonObject()).statusCode());
    assertEquals("INVALID_TOKEN", errorCode(get(client, "/api/v1/me", second)));
  }

  @Test
  void accountsWhoseOwnersChoseTheirPasswordAreNotRestricted(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    JsonObject tokens = AuthFixture.login(client, fx.staff(Role.OFFICER));
    assertFalse(tokens.getBoolean("password_change_required"));
    assertEquals(200, get(client, "/api/v1/prisoners", tokens.getString("access_token")).statusCode());
  }

  @Test
  void aWrongCurrentPasswordIsRefusedOnItsFieldAndCountsTowardsTheSignInLock(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    Issued officer = createdByAdmin(client);
    String token = signedIn(client, officer, FIRST).getString("access_token");
    for (int i = 1; i <= 4; i++) {
      HttpResponse<Buffer> r = change(client, token, "not the password " + i, CHOSEN);
      assertEquals(422, r.statusCode(), r.bodyAsString());
      assertEquals("WRONG_PASSWORD", errorCode(r));
      assertEquals("current_password", errorField(r));
    }
    HttpResponse<Buffer> fifth = change(client, token, "not the password 5", CHOSEN);
    assertEquals(429, fifth.statusCode(), "the fifth wrong try in a row locks, as at sign-in: " + fifth.bodyAsString());
    assertEquals("SIGN_IN_LOCKED", errorCode(fifth));
    assertEquals(429, login(client, officer, FIRST).statusCode(), "and the lock is the sign-in's");
    assertEquals(429, change(client, token, FIRST, CHOSEN).statusCode(), "even the right password waits");

    List<JsonObject> failed = fx.audit(PasswordChangeService.ACTION).stream()
        .filter(e -> officer.id().equals(e.getString("actor_id")) && "FAILED".equals(e.getString("outcome"))).toList();
    assertEquals(5, failed.size());
    assertEquals("BAD_PASSWORD", failed.get(0).getJsonObject("details").getString("reason"));
    assertTrue(fx.audit("auth.lock").stream().anyMatch(e -> officer.id().equals(e.getString("actor_id"))));
  }

  @Test
  void aWeakOrUnchangedPasswordIsRefusedNamingTheFieldAndTheRule(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    Issued officer = createdByAdmin(client);
    String token = signedIn(client, officer, FIRST).getString("access_token");

    HttpResponse<Buffer> shortOne = change(client, token, FIRST, "short one");
    assertEquals(422, shortOne.statusCode(), shortOne.bodyAsString());
    assertEquals("WEAK_PASSWORD", errorCode(shortOne));
    assertEquals("new_password", errorField(shortOne));
    assertTrue(errorMessage(shortOne).contains("at least 12 characters"), errorMessage(shortOne));

    HttpResponse<Buffer> common = change(client, token, FIRST, "Password1234");
    assertEquals("WEAK_PASSWORD", errorCode(common));
    assertEquals("new_password", errorField(common));
    assertTrue(errorMessage(common).contains("common password"), errorMessage(common));

    HttpResponse<Buffer> same = change(client, token, FIRST, FIRST);
    assertEquals(422, same.statusCode());
    assertEquals("PASSWORD_UNCHANGED", errorCode(same));
    assertEquals("new_password", errorField(same));

    assertEquals(200, login(client, officer, FIRST).statusCode(), "nothing changed");
    assertEquals(0, fx.audit(PasswordChangeService.ACTION).stream()
        .filter(e -> officer.id().equals(e.getString("actor_id")) && "OK".equals(e.getString("outcome"))).count());
  }

  @Test
  void afterTheChangeOnlyTheNewPasswordWorksOtherSessionsEndAndItIsAuditedOnce(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    Issued officer = createdByAdmin(client);
    JsonObject other = signedIn(client, officer, FIRST);
    String token = signedIn(client, officer, FIRST).getString("access_token");

    long began = System.nanoTime();
    HttpResponse<Buffer> changed = change(client, token, FIRST, CHOSEN);
    System.out.println("FIGURE password change (check, hash, store, end 2 sessions, new session): "
        + (System.nanoTime() - began) / 1_000_000 + " ms");
    assertEquals(200, changed.statusCode(), changed.bodyAsString());
    JsonObject fresh = changed.bodyAsJsonObject();
    assertFalse(fresh.getBoolean("password_change_required"));
    assertEquals(200, get(client, "/api/v1/prisoners", fresh.getString("access_token")).statusCode(), "a full session");

    assertEquals("INVALID_TOKEN", errorCode(get(client, "/api/v1/me", token)), "the session it was changed in ended");
    assertEquals("INVALID_TOKEN", errorCode(get(client, "/api/v1/me", other.getString("access_token"))), "and the other one");
    assertEquals(401, post(client, "/api/v1/auth/refresh", new JsonObject().put("refresh_token", other.getString("refresh_token")))
        .statusCode());
    assertEquals(401, login(client, officer, FIRST).statusCode(), "the old password no longer works");
    JsonObject again = signedIn(client, officer, CHOSEN);
    assertFalse(again.getBoolean("password_change_required"), "the new one does, unrestricted");
    assertEquals(200, get(client, "/api/v1/me", again.getString("access_token")).statusCode());

    List<JsonObject> audited = fx.audit(PasswordChangeService.ACTION).stream()
        .filter(e -> officer.id().equals(e.getString("actor_id")) && "OK".equals(e.getString("outcome"))).toList();
    assertEquals(1, audited.size());
    assertTrue(audited.get(0).getJsonObject("details").getBoolean("was_one_time"));
    String log = fx.audit().toString();
    assertFalse(log.contains(CHOSEN) || log.contains(FIRST) || log.contains("argon2"), "never a password or hash");
    JsonObject listed = get(client, "/api/v1/staff?limit=200", admin).bodyAsJsonObject().getJsonArray("items").stream()
        .map(JsonObject.class::cast).filter(s -> officer.id().equals(s.getString("id"))).findFirst().orElseThrow();
    assertFalse(listed.getBoolean("password_change_required"), "the mark is cleared");
  }

  @Test
  void resetsAndPasswordsSetByAnAdminOrStaffForSomeoneElseAreOneTime(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    AuthFixture.Staff own = fx.staff(Role.OFFICER);
    HttpResponse<Buffer> reset = post(client, "/api/v1/staff/" + own.account().id() + "/reset", admin, new JsonObject().put("totp", false));
    assertEquals(200, reset.statusCode(), reset.bodyAsString());
    HttpResponse<Buffer> afterReset = post(client, "/api/v1/auth/login", new JsonObject().put("email", own.account().email())
        .put("password", reset.bodyAsJsonObject().getString("password")).put("otp", own.totp().nextCode()));
    assertTrue(afterReset.bodyAsJsonObject().getBoolean("password_change_required"), afterReset.bodyAsString());

    AuthFixture.Staff set = fx.staff(Role.FAMILY_WORKER);
    assertEquals(200, Gateway.await(client.patch("/api/v1/staff/" + set.account().id()).putHeader("Authorization", "Bearer " + admin)
        .sendJsonObject(new JsonObject().put("password", "set by the admin 42"))).statusCode());
    HttpResponse<Buffer> afterSet = post(client, "/api/v1/auth/login", new JsonObject().put("email", set.account().email())
        .put("password", "set by the admin 42").put("otp", set.totp().nextCode()));
    assertTrue(afterSet.bodyAsJsonObject().getBoolean("password_change_required"), afterSet.bodyAsString());

    // a carer registered by an officer with a first password changes it before writing to anyone
    String officer = fx.staffToken(client, Role.OFFICER);
    String email = "carer-" + UUID.randomUUID() + "@test.kinlink.test";
    assertEquals(201, post(client, "/api/v1/people", officer, new JsonObject().put("kind", "CARER").put("name", "Carer Issued")
        .put("email", email).put("password", FIRST)).statusCode());
    JsonObject carer = post(client, "/api/v1/auth/login", new JsonObject().put("email", email).put("password", FIRST)).bodyAsJsonObject();
    assertTrue(carer.getBoolean("password_change_required"), carer.encode());
    assertEquals("PASSWORD_CHANGE_REQUIRED", errorCode(get(client, "/api/v1/conversations", carer.getString("access_token"))));
    HttpResponse<Buffer> carerChanged = change(client, carer.getString("access_token"), FIRST, CHOSEN);
    assertEquals(200, carerChanged.statusCode(), carerChanged.bodyAsString());
    assertEquals(200, get(client, "/api/v1/me", carerChanged.bodyAsJsonObject().getString("access_token")).statusCode());
  }

  @Test
  void aChangeWhoseAuditFailsIsSavedWithItsEntryParkedAndAuditedOnceBySweeping(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    Issued officer = createdByAdmin(client);
    String token = signedIn(client, officer, FIRST).getString("access_token");
    AuditFaults.quiet(gateway);

    HttpResponse<Buffer> r = AuditFaults.refusingAppends(kinlink.redis(), () -> change(client, token, FIRST, CHOSEN));
    assertEquals(503, r.statusCode(), r.bodyAsString());
    assertEquals("AUDIT_PENDING", errorCode(r));
    assertTrue(errorMessage(r).contains("new password is saved"), errorMessage(r));
    String parked = AuditFaults.parkedChange(kinlink.redis(), audit -> PasswordChangeService.ACTION.equals(audit.getString("action"))
        && officer.id().equals(audit.getString("actor_id")));
    assertNotNull(parked, "committed together with its pending audit entry");
    assertEquals(200, login(client, officer, CHOSEN).statusCode(), "the new password is the one that works");

    kinlink.clock().advance(Duration.ofSeconds(11));
    assertTrue(Gateway.await(AuditFaults.quiet(kinlink.nodes(2).get(1)).sweep()) >= 1);
    List<JsonObject> audited = fx.audit(PasswordChangeService.ACTION).stream()
        .filter(e -> officer.id().equals(e.getString("actor_id")) && "OK".equals(e.getString("outcome"))).toList();
    assertEquals(1, audited.size(), "audited once, by the sweeper");
    assertEquals(parked, audited.get(0).getJsonObject("details").getString("change_id"));
  }
}
