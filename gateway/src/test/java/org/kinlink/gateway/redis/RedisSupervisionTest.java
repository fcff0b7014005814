package org.kinlink.gateway.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.Main;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.support.Eventually;
import org.kinlink.gateway.support.TestGateway;

/** The gateway supervises its embedded Redis, and no second server ever runs on its data dir. */
class RedisSupervisionTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void afterAKill9TheGatewayRestartsRedisAndIsReadyAgainWithoutARestart() throws Exception {
    GatewayConfig config = TestGateway.config().withRedisUrl(Optional.empty());
    try (Gateway gateway = Gateway.start(config)) {
      EmbeddedRedis redis = gateway.embeddedRedis();
      long before = redis.pid();
      assertEquals(200, status(gateway, "/health/ready"));

      assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(before)).start().waitFor());

      // the restart is a real process starting: poll until the node is ready again, noting what it said meanwhile
      List<JsonObject> meanwhile = new ArrayList<>();
      Eventually.await("ready again on a new Redis after kill -9", Duration.ofSeconds(30), () -> {
        HttpResponse<String> r = get(gateway, "/health/ready");
        if (r.statusCode() != 200) {
          meanwhile.add(new JsonObject(r.body()));
        }
        return r.statusCode() == 200 && redis.pid() != before;
      });
      assertNotEquals(before, redis.pid(), "a new server");
      assertTrue(meanwhile.stream().anyMatch(b -> b.getString("not_ready", "").contains("exited with code")
              || "DOWN".equals(b.getJsonObject("checks").getString("redis"))),
          "503 while Redis was down, saying why: " + meanwhile);
      assertTrue(meanwhile.stream().allMatch(b -> "DOWN".equals(b.getString("status"))));

      // and the node works again: a failed sign-in is counted and audited (writes through the new server)
      HttpResponse<String> signIn = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/v1/auth/login"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"nobody@example.org\",\"password\":\"wrong\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, signIn.statusCode(), signIn.body());
    }
  }

  @Test
  void whileAGatewayRunsItsDataDirNoSecondRedisStarts() throws Exception {
    GatewayConfig config = TestGateway.config().withRedisUrl(Optional.empty());
    try (Gateway gateway = Gateway.start(config)) {
      long pid = gateway.embeddedRedis().pid();
      assertThrows(EmbeddedRedis.InUseException.class, () -> EmbeddedRedis.start(config.dataDir().resolve("redis")));
      RuntimeException second = assertThrows(RuntimeException.class, () -> Gateway.start(config));
      assertTrue(second.getMessage().contains("in use"), second.getMessage());

      // the CLI uses the running server instead of starting one on the same AOF
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream saved = System.out;
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int exit;
      try {
        exit = Main.run("audit", "verify", "--data-dir", config.dataDir().toString());
      } finally {
        System.setOut(saved);
      }
      assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
      assertEquals(pid, gateway.embeddedRedis().pid(), "the gateway's server is still the one running");
      assertEquals(200, status(gateway, "/health/ready"));
    }
  }

  private static int status(Gateway gateway, String path) throws Exception {
    return get(gateway, path).statusCode();
  }

  private static HttpResponse<String> get(Gateway gateway, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
