package org.kinlink.gateway.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.kinlink.gateway.auth.AuthFixture.get;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.redis.Keys;

/** The shared extension itself: the nodes run on the test clock and share the class's own Redis database. */
class KinlinkExtensionTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void accessTokensRunOutWhenTheClockSaysSo() {
    AuthFixture fx = kinlink.establishment();
    WebClient client = kinlink.client();
    String token = fx.staffToken(client, Role.OFFICER);
    assertEquals(200, get(client, "/api/v1/me", token).statusCode());
    kinlink.clock().advance(kinlink.gateway().config().accessTokenTtl().minusSeconds(1));
    assertEquals(200, get(client, "/api/v1/me", token).statusCode(), "still inside its life");
    kinlink.clock().advance(Duration.ofSeconds(1));
    assertEquals(401, get(client, "/api/v1/me", token).statusCode(), "expired by the test clock, not by waiting");
  }

  @Test
  void oneAccountSignsInTwiceWithoutWaitingForTheNextCode() {
    AuthFixture fx = kinlink.establishment();
    AuthFixture.Staff officer = fx.staff(Role.OFFICER);
    long before = kinlink.clock().millis();
    AuthFixture.login(kinlink.client(), officer);
    AuthFixture.login(kinlink.client(), officer);
    AuthFixture.login(kinlink.client(), officer);
    long moved = kinlink.clock().millis() - before;
    assertEquals(true, moved <= Duration.ofSeconds(3 * TestTotp.STEP_SECONDS).toMillis(),
        "the clock moved on to the next accepted step, no further: " + moved + " ms");
  }

  @Test
  void nodesShareTheClassDatabaseAndNothingElse(Vertx vertx, TestClock clock) {
    List<Gateway> nodes = kinlink.nodes(2);
    assertNotEquals(nodes.get(0).port(), nodes.get(1).port());
    assertEquals(kinlink.clock(), clock);
    assertEquals(kinlink.vertx(), vertx);
    AuthFixture onFirst = new AuthFixture(nodes.get(0));
    String token = onFirst.staffToken(kinlink.client(nodes.get(0)), Role.OFFICER);
    assertEquals(200, get(kinlink.client(nodes.get(1)), "/api/v1/me", token).statusCode(), "the other node knows the session");
    String sharedKey = Gateway.await(kinlink.redis().call(c -> c.get(Keys.TOKEN_KEY)));
    String inDatabaseZero;
    try (var zero = org.kinlink.gateway.redis.Redis.connect(TestRedis.url(), Duration.ofSeconds(5))) {
      inDatabaseZero = Gateway.await(zero.call(c -> c.get(Keys.TOKEN_KEY)));
    }
    assertNotEquals(null, sharedKey);
    assertNotEquals(sharedKey, inDatabaseZero, "the class's keys live in its own database");
  }

  @Test
  void leasedDatabasesAreEmptyAndDistinct() {
    try (TestRedis.Lease a = TestRedis.lease(); TestRedis.Lease b = TestRedis.lease()) {
      assertNotEquals(a.database(), b.database());
      try (var redis = org.kinlink.gateway.redis.Redis.connect(a.url(), Duration.ofSeconds(5))) {
        assertNull(Gateway.await(redis.call(c -> c.get(Keys.TOKEN_KEY))));
      }
    }
  }

  /** Registered on an instance field, everything is the test method's own. */
  @Nested
  class PerTestMethod {
    @RegisterExtension
    final KinlinkExtension own = KinlinkExtension.create().frozenClock();

    @Test
    void aTestMethodGetsItsOwnDatabaseAndClock() {
      assertNotEquals(kinlink.redisUrl(), own.redisUrl());
      assertNotEquals(kinlink.clock(), own.clock());
      java.time.Instant before = own.clock().instant();
      assertEquals(before, own.clock().instant(), "a frozen clock stands still");
      assertEquals(before.plusSeconds(90), own.clock().advance(Duration.ofSeconds(90)));
    }
  }
}
