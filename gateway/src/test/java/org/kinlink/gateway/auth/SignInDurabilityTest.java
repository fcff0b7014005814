package org.kinlink.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;
import static org.kinlink.gateway.auth.AuthFixture.get;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.redis.EmbeddedRedis;
import org.kinlink.gateway.support.Eventually;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestGateway;

class SignInDurabilityTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void accountsSurviveARestartOfTheEmbeddedRedis(Vertx vertx) {
    GatewayConfig config = TestGateway.config().withRedisUrl(Optional.empty());
    String number;
    String device;
    try (Gateway first = kinlink.start(config)) {
      AuthFixture fx = new AuthFixture(first);
      Prisoner p = fx.prisoner("8642");
      number = p.prisonNumber();
      device = fx.device(true).id();
    }
    try (Gateway again = kinlink.start(config)) {
      HttpResponse<Buffer> r = AuthFixture.kiosk(AuthFixture.client(vertx, again), number, "8642", device);
      assertEquals(200, r.statusCode(), r.bodyAsString());
    }
  }

  /**
   * The embedded Redis picks a random port at every start, so to bring Redis back where the gateway
   * expects it this test runs the same bundled redis-server binary itself, on a port it chose.
   */
  @Test
  void whileRedisIsDownRequestsAre503AndTheyRecoverWithoutARestart(Vertx vertx) throws Exception {
    Path dir = Files.createTempDirectory("kinlink-test-own-redis");
    EmbeddedRedis.start(dir).close(); // installs the bundled binary in dir
    int port = freePort();
    Process redis = startRedis(dir, port);
    GatewayConfig config = TestGateway.config().withRedisUrl(Optional.of("redis://127.0.0.1:" + port));
    try (Gateway gw = kinlink.start(config)) {
      AuthFixture fx = new AuthFixture(gw);
      Prisoner p = fx.prisoner("7531");
      KioskDevice d = fx.device(true);
      WebClient client = AuthFixture.client(vertx, gw);
      String access = AuthFixture.kiosk(client, p.prisonNumber(), "7531", d.id()).bodyAsJsonObject().getString("access_token");

      redis.destroyForcibly().waitFor();
      HttpResponse<Buffer> me = get(client, "/api/v1/me", access);
      assertEquals(503, me.statusCode(), "the revocation check cannot be made: fail closed");
      assertEquals("UNAVAILABLE", errorCode(me));
      HttpResponse<Buffer> signIn = AuthFixture.kiosk(client, p.prisonNumber(), "7531", d.id());
      assertEquals(503, signIn.statusCode());

      redis = startRedis(dir, port);
      // Lettuce reconnects by itself, with its own back-off: wait for the node to answer again
      Eventually.await("the same node answers again once Redis is back", Duration.ofSeconds(30),
          () -> get(client, "/api/v1/me", access).statusCode() == 200);
      assertEquals(200, AuthFixture.kiosk(client, p.prisonNumber(), "7531", d.id()).statusCode());
    } finally {
      redis.destroy();
      redis.waitFor();
    }
  }

  private static Process startRedis(Path dir, int port) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(dir.resolve("redis-server").toString(), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", ""))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      Eventually.await("redis-server listening on port " + port, Duration.ofSeconds(6), () -> {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
          return true;
        } catch (IOException notYet) {
          return false;
        }
      });
      return p;
    } catch (AssertionError e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
