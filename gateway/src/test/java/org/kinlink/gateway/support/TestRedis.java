package org.kinlink.gateway.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.kinlink.gateway.redis.EmbeddedRedis;

/**
 * The real Redis every test talks to: {@code KINLINK_REDIS_URL} when set, otherwise one bundled
 * Redis per test JVM (started on first use, stopped when the JVM exits).
 *
 * <p>Isolation: {@link #lease()} gives a test class a logical database of its own (1 to 15), emptied
 * when it is taken. The lease is a {@code SET NX} key in database 0, so test JVMs sharing one
 * {@code KINLINK_REDIS_URL} (parallel forks, two checkouts) never get the same database; a lease
 * left by a killed JVM runs out after {@link #LEASE_LIFE}. Pub/sub channels are not per database:
 * a gateway may hear another class's events, which name only that class's random ids.
 */
public final class TestRedis {
  static final Duration LEASE_LIFE = Duration.ofMinutes(20);
  private static final int DATABASES = 16;
  private static final String LEASE_KEY = "kinlink-test:db-lease:";
  private static String url;
  private static RedisCommands<String, String> control;

  private TestRedis() {}

  /** URL of the shared test Redis (database 0, which no class leases). */
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

  /** An emptied database of the test Redis, held until {@link Lease#close()}. */
  public record Lease(int database, String url, Runnable release) implements AutoCloseable {
    @Override
    public void close() {
      release.run();
    }
  }

  /** Takes a free database and empties it; waits (briefly, politely) while all 15 are taken. */
  public static synchronized Lease lease() {
    String token = UUID.randomUUID().toString();
    RedisCommands<String, String> c = control();
    for (int attempt = 0; attempt < 600; attempt++) {
      for (int db = 1; db < DATABASES; db++) {
        if ("OK".equals(c.set(LEASE_KEY + db, token, SetArgs.Builder.nx().px(LEASE_LIFE.toMillis())))) {
          c.select(db);
          try {
            c.flushdb();
          } finally {
            c.select(0);
          }
          int taken = db;
          return new Lease(db, databaseUrl(db), () -> release(taken, token));
        }
      }
      pause();
    }
    throw new IllegalStateException("every test database of " + url() + " stayed leased for a minute");
  }

  private static synchronized void release(int db, String token) {
    control().eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
        ScriptOutputType.INTEGER, new String[] {LEASE_KEY + db}, token);
  }

  /** One connection to database 0 for the leases, for the life of the JVM. */
  private static RedisCommands<String, String> control() {
    if (control == null) {
      RedisClient client = RedisClient.create(RedisURI.create(url()));
      StatefulRedisConnection<String, String> connection = client.connect();
      Runtime.getRuntime().addShutdownHook(new Thread(client::shutdown));
      control = connection.sync();
    }
    return control;
  }

  /** The URL of database {@code db}, written out by hand: Lettuce's {@code toURI()} masks the password. */
  private static String databaseUrl(int db) {
    String base = url();
    int q = base.indexOf('?');
    String query = q < 0 ? "" : base.substring(q);
    String address = q < 0 ? base : base.substring(0, q);
    int path = address.indexOf('/', address.indexOf("://") + 3);
    return (path < 0 ? address : address.substring(0, path)) + "/" + db + query;
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a test database", e);
    }
  }
}
