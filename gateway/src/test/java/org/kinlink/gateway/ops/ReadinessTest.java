package org.kinlink.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.demo.DemoData;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestGateway;
import org.kinlink.gateway.support.TestKiosk;

/** {@code /health/ready} is 200 only when the node can serve what it will be asked. */
class ReadinessTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();


  @Test
  void notReadyWhileAStartUpTaskRunsAndTheBodyNamesIt() {
    int port = Probe.freePort();
    Promise<Void> task = Promise.promise();
    CompletableFuture<Gateway> starting = CompletableFuture.supplyAsync(() -> Gateway.start(TestGateway.config().withRedisUrl(Optional.of(kinlink.redisUrl())).withPort(port),
        List.of(new Gateway.StartupTask("imports", "the records are being imported", s -> task.future()))));
    try {
      Probe.Answer waiting = Probe.until(port, "/health/ready", a -> a.status() != 0, Duration.ofSeconds(60));
      assertEquals(503, waiting.status(), waiting.body().encode());
      assertEquals("LOADING", waiting.body().getJsonObject("checks").getString("imports"));
      assertEquals("UP", waiting.body().getJsonObject("checks").getString("redis"));
      assertTrue(waiting.body().getString("not_ready").contains("imports: the records are being imported"), waiting.body().encode());
      assertEquals(200, Probe.get(port, "/health/live").status(), "alive while not ready");
      task.complete();
      Probe.Answer ready = Probe.until(port, "/health/ready", a -> a.status() == 200, Duration.ofSeconds(10));
      assertEquals("UP", ready.body().getJsonObject("checks").getString("imports"));
      assertEquals("UP", ready.body().getJsonObject("checks").getString("background"));
    } finally {
      task.tryComplete();
      starting.join().close();
    }
  }

  /** Before: ready came about a second before the demo data, and these sign-ins were refused. */
  @Test
  void theFirstDemoSignInsAfterReadySucceed() {
    int port = Probe.freePort();
    GatewayConfig base = TestGateway.config().withRedisUrl(Optional.empty()).withPort(port);
    GatewayConfig demo = new GatewayConfig(base.host(), port, base.dataDir(), Optional.empty(), true, Optional.empty(),
        Optional.empty(), 2, base.maxBodyBytes(), base.redisCommandTimeout(), base.accessTokenTtl(), base.refreshTokenTtl(),
        base.auditCheckpointEvery(), base.auditCheckpointInterval(), true);
    CompletableFuture<Gateway> starting = CompletableFuture.supplyAsync(() -> Gateway.start(demo,
        List.of(new Gateway.StartupTask("demo-data", "the demo data is being loaded", s -> DemoData.loadOnce(s.demoParts())))));
    try {
      Probe.until(port, "/health/ready", a -> a.status() == 200, Duration.ofSeconds(60));
      // the demo kiosk proves its key as a real one would: a fresh challenge signed with the key the demo wrote
      TestKiosk demoKiosk = TestKiosk.demo(starting.join(), "kiosk-styal-01");
      Probe.Answer challenge = Probe.post(port, "/api/v1/auth/kiosk/challenge", new JsonObject().put("device_id", "kiosk-styal-01"));
      assertEquals(200, challenge.status(), challenge.body().encode());
      String nonce = challenge.body().getString("nonce");
      Probe.Answer kiosk = Probe.post(port, "/api/v1/auth/kiosk", new JsonObject().put("prison_number", "A1234BC").put("pin", "2580")
          .put("device_id", "kiosk-styal-01").put("nonce", nonce).put("signature", demoKiosk.sign(nonce)));
      assertEquals(200, kiosk.status(), kiosk.body().encode());
      Probe.Answer carer = Probe.post(port, "/api/v1/auth/login",
          new JsonObject().put("email", "carer@demo.kinlink.test").put("password", "carer-demo-2026"));
      assertEquals(200, carer.status(), carer.body().encode());
    } finally {
      starting.join().close();
    }
  }
}
