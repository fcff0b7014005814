package org.kinlink.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;
import static org.kinlink.gateway.auth.AuthFixture.get;
import static org.kinlink.gateway.auth.AuthFixture.post;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.support.KinlinkExtension;

class TokenLifecycleTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Gateway first;
  static Gateway second;
  static AuthFixture fx;

  @BeforeAll
  static void start() {
    first = kinlink.nodes(2).get(0);
    second = kinlink.nodes(2).get(1);
    fx = new AuthFixture(first);
  }

  private static HttpResponse<Buffer> refresh(WebClient client, String refreshToken) {
    return post(client, "/api/v1/auth/refresh", new JsonObject().put("refresh_token", refreshToken));
  }

  @Test
  void refreshRotatesAndTheOldTokenStopsWorking(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, first);
    JsonObject t1 = fx.prisonerTokens(client);
    HttpResponse<Buffer> r = refresh(client, t1.getString("refresh_token"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject t2 = r.bodyAsJsonObject();
    assertNotEquals(t1.getString("refresh_token"), t2.getString("refresh_token"));
    assertEquals(200, get(client, "/api/v1/me", t2.getString("access_token")).statusCode());
    // the rotated token works on any node, once
    HttpResponse<Buffer> r3 = refresh(AuthFixture.client(vertx, second), t2.getString("refresh_token"));
    assertEquals(200, r3.statusCode());
  }

  @Test
  void reusingARotatedRefreshTokenRevokesTheWholeFamily(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, first);
    JsonObject t1 = fx.prisonerTokens(client);
    JsonObject t2 = refresh(client, t1.getString("refresh_token")).bodyAsJsonObject();
    assertEquals(200, get(client, "/api/v1/me", t2.getString("access_token")).statusCode());

    HttpResponse<Buffer> reuse = refresh(client, t1.getString("refresh_token"));
    assertEquals(401, reuse.statusCode());
    assertEquals("INVALID_TOKEN", errorCode(reuse));

    HttpResponse<Buffer> newest = refresh(client, t2.getString("refresh_token"));
    assertEquals(401, newest.statusCode(), "the newest refresh token of the family is revoked too");
    WebClient other = AuthFixture.client(vertx, second);
    assertEquals(401, get(client, "/api/v1/me", t2.getString("access_token")).statusCode(), "and its access token");
    assertEquals(401, get(other, "/api/v1/me", t2.getString("access_token")).statusCode(), "on every node");
    assertTrue(fx.audit("auth.refresh_reuse").stream().anyMatch(e -> "REVOKED".equals(e.getString("outcome"))));
  }

  @Test
  void logoutOnOneNodeTakesEffectOnAnotherAtOnce(Vertx vertx) {
    WebClient a = AuthFixture.client(vertx, first);
    WebClient b = AuthFixture.client(vertx, second);
    JsonObject t = fx.prisonerTokens(a);
    String access = t.getString("access_token");
    // node b has seen the session as valid (and cached that)
    assertEquals(200, get(b, "/api/v1/me", access).statusCode());
    HttpResponse<Buffer> out = post(a, "/api/v1/auth/logout", access, new JsonObject());
    assertEquals(204, out.statusCode(), out.bodyAsString());
    HttpResponse<Buffer> after = get(b, "/api/v1/me", access);
    assertEquals(401, after.statusCode());
    assertEquals("INVALID_TOKEN", errorCode(after));
    assertEquals(401, refresh(b, t.getString("refresh_token")).statusCode());
    assertTrue(fx.audit("auth.logout").size() >= 1);
  }

  @Test
  void badTokensAre401AndTheQueryStringIsNotReadForRest(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, first);
    String access = fx.prisonerTokens(client).getString("access_token");
    String tampered = access.substring(0, access.length() - 3) + (access.endsWith("AAA") ? "BBB" : "AAA");
    HttpResponse<Buffer> bad = get(client, "/api/v1/me", tampered);
    assertEquals(401, bad.statusCode());
    assertEquals("INVALID_TOKEN", errorCode(bad));
    HttpResponse<Buffer> basic = Gateway.await(client.get("/api/v1/me").putHeader("Authorization", "Basic Zm9vOmJhcg==").send());
    assertEquals("INVALID_TOKEN", errorCode(basic));
    HttpResponse<Buffer> viaQuery = Gateway.await(client.get("/api/v1/me?access_token=" + access).send());
    assertEquals(401, viaQuery.statusCode());
    assertEquals("UNAUTHENTICATED", errorCode(viaQuery), "REST ignores ?access_token=");
    assertEquals(401, get(client, "/api/v1/me", null).statusCode());
  }

  @Test
  void aSignedInClientWithAnExpiredTokenCanStillRefresh(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, first);
    JsonObject t = fx.prisonerTokens(client);
    HttpResponse<Buffer> r = post(client, "/api/v1/auth/refresh", "not-a-token",
        new JsonObject().put("refresh_token", t.getString("refresh_token")));
    assertEquals(200, r.statusCode(), "sign-in operations ignore a stale Authorization header");
  }
}
