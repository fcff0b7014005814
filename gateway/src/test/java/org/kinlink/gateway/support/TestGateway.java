package org.kinlink.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.config.GatewayConfig;

/**
 * Config and clients for real gateway nodes on loopback (plain HTTP, free port). Tests get their
 * nodes from {@link KinlinkExtension}, which starts them with this config on its own Redis database.
 */
public final class TestGateway {
  /** What the data dirs {@link #config} makes are called (the extension removes them after the class). */
  static final String DATA_DIR_PREFIX = "kinlink-test-gw";

  private TestGateway() {}

  /** A config for a test node: loopback, port 0, own data dir, the shared Redis, 1 verticle. */
  public static GatewayConfig config() {
    try {
      Path dir = Files.createTempDirectory(DATA_DIR_PREFIX);
      GatewayConfig d = GatewayConfig.defaults();
      return new GatewayConfig("127.0.0.1", 0, dir, Optional.of(TestRedis.url()), true, Optional.empty(),
          Optional.empty(), 1, d.maxBodyBytes(), d.redisCommandTimeout(), d.accessTokenTtl(),
          d.refreshTokenTtl(), d.auditCheckpointEvery(), d.auditCheckpointInterval(), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a node on the system clock (prefer {@link KinlinkExtension#gateway()}: its clock can be moved). */
  public static Gateway start() {
    return Gateway.start(config());
  }

  /**
   * A client of the node from a random 127.x.y.z source address, so one test's failed sign-ins
   * never count against another's source limit.
   */
  public static WebClient client(Vertx vertx, Gateway gateway) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String source = "127." + r.nextInt(1, 255) + "." + r.nextInt(0, 256) + "." + r.nextInt(1, 255);
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port())
        .setLocalAddress(source));
  }
}
