package org.kinlink.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kinlink.gateway.redis.EmbeddedRedis;

/**
 * The real Redis every test talks to: {@code KINLINK_REDIS_URL} when set, otherwise one bundled
 * Redis per test JVM (started on first use, stopped when the JVM exits).
 */
public final class TestRedis {
  private static String url;

  private TestRedis() {}

  /** URL of the shared test Redis. */
  public static synchronized String url() {
    if (url != null) {
      return url;
    }
    String configured = System.getenv("KINLINK_REDIS_URL");
    if (configured != null && !configured.isBlank()) {
      url = configured;
      return url;
    }
    try {
      Path dir = Files.createTempDirectory("kinlink-test-redis");
      EmbeddedRedis redis = EmbeddedRedis.start(dir);
      Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
      url = redis.url();
      return url;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
