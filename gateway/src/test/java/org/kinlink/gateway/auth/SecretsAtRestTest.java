package org.kinlink.gateway.auth;

import org.kinlink.gateway.crypto.Totp;
import org.kinlink.gateway.crypto.SecretHasher;
import org.kinlink.gateway.identity.Role;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;
import static org.kinlink.gateway.auth.AuthFixture.get;
import static org.kinlink.gateway.auth.AuthFixture.post;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.StaffAccount;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestTotp;

/**
 * Issue 9 item 5 (part): TOTP secrets are sealed at rest under the master key, and a correctly
 * signed access token is refused when its account does not exist or may not act as it claims.
 */
class SecretsAtRestTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Gateway gateway;
  static AuthFixture fx;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    fx = new AuthFixture(gateway);
  }

  private static String rawTotp(String staffId) {
    String stored = Gateway.await(kinlink.redis().call(c -> c.get(Keys.dirRecord("staff", staffId))));
    return new JsonObject(stored).getString("totp_secret");
  }

  private static HttpResponse<Buffer> login(WebClient client, String email, String password, String otp) {
    return post(client, "/api/v1/auth/login", new JsonObject().put("email", email).put("password", password).put("otp", otp));
  }

  @Test
  void aNewStaffMembersSecretIsSealedInRedisAndStillWorks() {
    WebClient client = kinlink.client();
    String admin = fx.staffToken(client, Role.ADMIN);
    String email = "new-" + UUID.randomUUID() + "@test.kinlink.test";
    HttpResponse<Buffer> created = post(client, "/api/v1/staff", admin, new JsonObject().put("email", email).put("name", "New Officer")
        .put("role", "OFFICER").put("password", AuthFixture.PASSWORD));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String secret = created.bodyAsJsonObject().getString("totp_secret");
    String stored = rawTotp(created.bodyAsJsonObject().getString("id"));
    assertTrue(stored.startsWith("sealed:v1:"), stored);
    assertFalse(stored.contains(secret));
    String all = Gateway.await(kinlink.redis().call(c -> c.get(Keys.dirRecord("staff", created.bodyAsJsonObject().getString("id")))));
    assertFalse(all.contains(secret), "the secret is nowhere in the record");

    HttpResponse<Buffer> r = login(client, email, AuthFixture.PASSWORD, kinlink.totp(secret).nextCode());
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  @Test
  void aSecretStoredInClearIsSealedWhenANodeStartsAndASealedSecretOpensOnlyOnItsOwnAccount() {
    // written as a CLI without the master key (or a gateway before sealing) would write it
    String secret = Totp.newSecret();
    StaffAccount legacy = new StaffAccount("st-" + UUID.randomUUID(), "legacy-" + UUID.randomUUID() + "@test.kinlink.test", "Legacy",
        Role.OFFICER, fx.est, new SecretHasher().hashNow(AuthFixture.PASSWORD), secret, false, Instant.now());
    Gateway.await(new Directory(kinlink.redis()).createStaff(legacy));
    assertEquals(secret, rawTotp(legacy.id()));

    kinlink.nodes(2);
    String sealed = rawTotp(legacy.id());
    assertTrue(sealed.startsWith("sealed:v1:"), "sealed at the second node's start: " + sealed);
    WebClient client = kinlink.client();
    TestTotp codes = kinlink.totp(secret);
    assertEquals(200, login(client, legacy.email(), AuthFixture.PASSWORD, codes.nextCode()).statusCode());

    // the sealed secret copied onto another account does not open there
    AuthFixture.Staff victim = fx.staff(Role.ADMIN);
    Redis redis = kinlink.redis();
    String key = Keys.dirRecord("staff", victim.account().id());
    String before = Gateway.await(redis.call(c -> c.get(key)));
    JsonObject record = new JsonObject(before).put("totp_secret", sealed);
    Gateway.await(redis.call(c -> c.set(key, record.encode())));
    HttpResponse<Buffer> swapped = login(client, victim.account().email(), AuthFixture.PASSWORD, codes.nextCode());
    assertEquals(401, swapped.statusCode(), swapped.bodyAsString());
    assertEquals("INVALID_OTP", errorCode(swapped));
  }

  /** An HS256 token made outside the gateway, with the key read from Redis, as a local attacker would. */
  private static String mint(String sub, String role, String est) {
    String key = Gateway.await(kinlink.redis().call(c -> c.get(Keys.TOKEN_KEY)));
    long now = gateway.services().clock().instant().getEpochSecond();
    JsonObject claims = new JsonObject().put("sub", sub).put("role", role).put("est", est).put("sid", "sid-" + UUID.randomUUID())
        .put("iat", now).put("exp", now + 600).put("iss", "kinlink").put("aud", "kinlink-api");
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aTokenMintedWithTheRedisKeyIsRefusedUnlessItsAccountExistsAndIsEnabledAsClaimed() {
    WebClient client = kinlink.client();
    AuthFixture.Staff officer = fx.staff(Role.OFFICER);
    // the minting itself is right: for a real account, as it is, the gateway accepts it
    HttpResponse<Buffer> real = get(client, "/api/v1/me", mint(officer.account().id(), "OFFICER", fx.est));
    assertEquals(200, real.statusCode(), real.bodyAsString());

    HttpResponse<Buffer> ghost = get(client, "/api/v1/me", mint("st-" + UUID.randomUUID(), "ADMIN", fx.est));
    assertEquals(401, ghost.statusCode(), ghost.bodyAsString());
    assertEquals("INVALID_TOKEN", errorCode(ghost));
    HttpResponse<Buffer> ghostList = get(client, "/api/v1/staff", mint("st-nobody", "ADMIN", fx.est));
    assertEquals(401, ghostList.statusCode(), "no admin operation for an account that does not exist");

    assertEquals(401, get(client, "/api/v1/me", mint(officer.account().id(), "ADMIN", fx.est)).statusCode(), "a role it does not have");
    assertEquals(401, get(client, "/api/v1/me", mint(officer.account().id(), "OFFICER", "elsewhere")).statusCode(), "another establishment");
    assertEquals(401, get(client, "/api/v1/me", mint("pr-Z9999ZZ", "PRISONER", fx.est)).statusCode(), "a prisoner nobody registered");

    String disabledToken = mint(officer.account().id(), "OFFICER", fx.est);
    Gateway.await(gateway.services().directory().updateStaff(officer.account().id(), s -> s.with(s.name(), s.role(), true, s.passwordHash())));
    kinlink.clock().advance(RevocationCache.NOT_REVOKED_FOR.plusSeconds(1));
    assertEquals(401, get(client, "/api/v1/me", disabledToken).statusCode(), "a disabled account, once the cached answer is out of date");
  }
}
