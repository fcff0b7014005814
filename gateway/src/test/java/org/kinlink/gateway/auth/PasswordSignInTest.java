package org.kinlink.gateway.auth;

import org.kinlink.gateway.crypto.Totp;
import org.kinlink.gateway.identity.Role;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;
import static org.kinlink.gateway.auth.AuthFixture.get;
import static org.kinlink.gateway.auth.AuthFixture.post;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.support.KinlinkExtension;

class PasswordSignInTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Gateway gateway;
  static AuthFixture fx;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    fx = new AuthFixture(gateway);
  }

  private static HttpResponse<Buffer> login(WebClient client, String email, String password, String otp) {
    JsonObject body = new JsonObject().put("email", email).put("password", password);
    if (otp != null) {
      body.put("otp", otp);
    }
    return post(client, "/api/v1/auth/login", body);
  }

  @Test
  void aCarerSignsInWithEmailAndPasswordAlone(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    PersonOutside carer = fx.person(PersonKind.CARER, null);
    HttpResponse<Buffer> r = login(client, carer.email().toUpperCase(), AuthFixture.PASSWORD, null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject me = get(client, "/api/v1/me", r.bodyAsJsonObject().getString("access_token")).bodyAsJsonObject();
    assertEquals("OUTSIDE", me.getString("role"));
    assertEquals(carer.id(), me.getString("person_id"));
    assertEquals("CARER", me.getString("kind"));
  }

  @Test
  void staffNeedTheirCodeAndEachCodeWorksOnce(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    AuthFixture.Staff s = fx.staff(Role.SECURITY);
    String email = s.account().email();

    HttpResponse<Buffer> without = login(client, email, s.password(), null);
    assertEquals(401, without.statusCode());
    assertEquals("OTP_REQUIRED", errorCode(without));

    String code = fx.code(s.totpSecret());
    String wrong = code.equals("000000") ? "111111" : "000000";
    HttpResponse<Buffer> wrongCode = login(client, email, s.password(), wrong);
    assertEquals(401, wrongCode.statusCode());
    assertEquals("INVALID_OTP", errorCode(wrongCode));

    HttpResponse<Buffer> ok = login(client, email, s.password(), code);
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    JsonObject me = get(client, "/api/v1/me", ok.bodyAsJsonObject().getString("access_token")).bodyAsJsonObject();
    assertEquals("SECURITY", me.getString("role"));
    assertEquals(fx.est, me.getJsonObject("establishment").getString("id"));

    HttpResponse<Buffer> reused = login(client, email, s.password(), code);
    assertEquals(401, reused.statusCode(), "a code is never accepted twice");
    assertEquals("INVALID_OTP", errorCode(reused));

    var reasons = fx.audit("auth.login").stream().filter(e -> s.account().id().equals(e.getString("actor_id")))
        .map(e -> e.getString("outcome") + ":" + e.getJsonObject("details").getString("reason")).toList();
    assertTrue(reasons.contains("OTP_REQUIRED:null"), reasons.toString());
    assertTrue(reasons.contains("FAILED:BAD_OTP"), reasons.toString());
    assertTrue(reasons.contains("FAILED:OTP_REUSED"), reasons.toString());
    assertTrue(reasons.contains("OK:null"), reasons.toString());
    assertFalse(fx.audit().toString().contains(AuthFixture.PASSWORD), "the password never reaches the log");
  }

  @Test
  void professionalsOutsideNeedACodeToo(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String secret = Totp.newSecret();
    PersonOutside sw = fx.person(PersonKind.SOCIAL_WORKER, secret);
    assertEquals("OTP_REQUIRED", errorCode(login(client, sw.email(), AuthFixture.PASSWORD, null)));
    // a code from the previous 30-second step is still accepted (clock drift)
    String previous = Totp.code(secret, Totp.step(kinlink.clock().instant()) - 1);
    assertEquals(200, login(client, sw.email(), AuthFixture.PASSWORD, previous).statusCode());
  }

  @Test
  void wrongPasswordAndUnknownEmailLookTheSame(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    PersonOutside carer = fx.person(PersonKind.CARER, null);
    HttpResponse<Buffer> wrong = login(client, carer.email(), "not the password", null);
    HttpResponse<Buffer> unknown = login(client, "nobody-" + carer.id() + "@test.kinlink.test", "not the password", null);
    assertEquals(401, wrong.statusCode());
    assertEquals(401, unknown.statusCode());
    assertEquals("INVALID_CREDENTIALS", errorCode(wrong));
    assertEquals(wrong.bodyAsJsonObject(), unknown.bodyAsJsonObject());
  }

  @Test
  void fiveWrongPasswordsLockTheAccount(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    PersonOutside carer = fx.person(PersonKind.CARER, null);
    for (int i = 0; i < 4; i++) {
      assertEquals(401, login(client, carer.email(), "wrong password " + i, null).statusCode());
    }
    HttpResponse<Buffer> fifth = login(client, carer.email(), "wrong password 5", null);
    assertEquals(429, fifth.statusCode());
    assertTrue(Long.parseLong(fifth.getHeader("Retry-After")) > 0);
    assertEquals(429, login(client, carer.email(), AuthFixture.PASSWORD, null).statusCode());
  }

  @Test
  void aDisabledStaffAccountCannotSignIn(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    AuthFixture.Staff s = fx.staff(Role.OFFICER);
    Gateway.await(fx.directory.updateStaff(s.account().id(), a -> a.with(a.name(), a.role(), true, a.passwordHash())));
    HttpResponse<Buffer> r = login(client, s.account().email(), s.password(), fx.code(s.totpSecret()));
    assertEquals(401, r.statusCode());
    assertEquals("INVALID_CREDENTIALS", errorCode(r));
    assertTrue(fx.audit("auth.login").stream().anyMatch(e -> "ACCOUNT_DISABLED".equals(e.getJsonObject("details").getString("reason"))));
  }
}
