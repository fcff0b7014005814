package org.kinlink.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;
import static org.kinlink.gateway.auth.AuthFixture.kiosk;
import static org.kinlink.gateway.auth.AuthFixture.post;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.support.KinlinkExtension;

/** What ends with time ends when the gateway's clock says so: locks, source limits, refresh tokens. */
class SignInClockTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void aLockEndsByItselfAfterFifteenMinutesAndTheEndIsAudited() {
    AuthFixture fx = kinlink.establishment();
    WebClient client = kinlink.client();
    Prisoner p = fx.prisoner("4826");
    KioskDevice d = fx.device(true);
    for (int i = 0; i < 5; i++) {
      kiosk(client, p.prisonNumber(), "0000", d.id());
    }
    assertEquals("SIGN_IN_LOCKED", errorCode(kiosk(client, p.prisonNumber(), "4826", d.id())));
    kinlink.clock().advance(Duration.ofMinutes(14));
    assertEquals(429, kiosk(client, p.prisonNumber(), "4826", d.id()).statusCode(), "still locked after 14 minutes");
    kinlink.clock().advance(Duration.ofMinutes(1).plusSeconds(1));
    HttpResponse<Buffer> after = kiosk(client, p.prisonNumber(), "4826", d.id());
    assertEquals(200, after.statusCode(), after.bodyAsString());
    assertTrue(fx.audit("auth.lock_ended").stream().anyMatch(e -> "ENDED".equals(e.getString("outcome"))
        && p.prisonNumber().equals(e.getJsonObject("details").getString("prison_number"))), "the lock's end is on record");
  }

  @Test
  void aSourceMayTryAgainWhenItsWindowHasPassed() {
    AuthFixture fx = kinlink.establishment();
    WebClient client = kinlink.client();
    KioskDevice d = fx.device(true);
    SignInLimits limits = kinlink.gateway().services().auth().guard().limits();
    for (int i = 0; i < limits.sourceFailures(); i++) {
      kiosk(client, AuthFixture.prisonNumber(), "1111", d.id());
    }
    Prisoner p = fx.prisoner("5937");
    assertEquals("TOO_MANY_REQUESTS", errorCode(kiosk(client, p.prisonNumber(), "5937", d.id())));
    kinlink.clock().advance(limits.sourceWindow().plusSeconds(1));
    assertEquals(200, kiosk(client, p.prisonNumber(), "5937", d.id()).statusCode(), "a new window, by the clock");
  }

  @Test
  void aRefreshTokenRunsOutWithItsLifeButNotBefore() {
    AuthFixture fx = kinlink.establishment();
    WebClient client = kinlink.client();
    JsonObject tokens = fx.prisonerTokens(client);
    Duration life = kinlink.gateway().config().refreshTokenTtl();
    kinlink.clock().advance(life.minusMinutes(1));
    HttpResponse<Buffer> late = post(client, "/api/v1/auth/refresh", new JsonObject().put("refresh_token",
        tokens.getString("refresh_token")));
    assertEquals(200, late.statusCode(), "a minute before its end: " + late.bodyAsString());
    kinlink.clock().advance(life.plusMinutes(1));
    HttpResponse<Buffer> expired = post(client, "/api/v1/auth/refresh", new JsonObject().put("refresh_token",
        late.bodyAsJsonObject().getString("refresh_token")));
    assertEquals(401, expired.statusCode(), expired.bodyAsString());
  }
}
