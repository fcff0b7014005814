package org.kinlink.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.kinlink.gateway.ops.DataDir;
import org.kinlink.gateway.redis.EmbeddedRedis;
import org.kinlink.gateway.redis.Redis;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * How a CLI command reaches the gateway's data, the same way {@code serve} does: {@code --redis URL}
 * (or {@code KINLINK_REDIS_URL}), else the embedded Redis under {@code --data-dir}. When a gateway
 * (or another command) runs that server, the command connects to it, with the password kept in
 * the data dir; when nobody does, it starts it itself, holding the data dir's lock so that no
 * second server can start on the same files, and stops it when done.
 */
final class StoreTarget {
  private StoreTarget() {}

  /** An open connection; close it when done (stops the server when this command started it). */
  record Connection(Redis redis, EmbeddedRedis embedded) implements AutoCloseable {
    @Override
    public void close() {
      redis.close();
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** The URL given or in the environment, null when neither. */
  static String url(String redisUrl) {
    String url = redisUrl != null ? redisUrl : System.getenv("KINLINK_REDIS_URL");
    return url == null || url.isBlank() ? null : url;
  }

  /** Connects to an existing deployment; nothing to connect to is bad usage (exit 2). */
  static Connection open(CommandLine cli, Path dataDir, String redisUrl) {
    return open(cli, dataDir, redisUrl, false);
  }

  /**
   * Connects; with {@code mayCreate} a data dir that does not exist yet is made (owner-only), as
   * {@code serve} would make it: a new deployment bootstrapped before its first start.
   */
  static Connection open(CommandLine cli, Path dataDir, String redisUrl, boolean mayCreate) {
    String url = url(redisUrl);
    if (url == null && dataDir == null) {
      throw new ParameterException(cli, "give --data-dir D (the gateway's data directory) or --redis URL");
    }
    EmbeddedRedis embedded = null;
    if (url == null) {
      if (mayCreate) {
        DataDir.secure(dataDir);
        DataDir.secure(dataDir.resolve("redis"));
      }
      if (!Files.isDirectory(dataDir)) {
        throw new ParameterException(cli, "no data directory at " + dataDir.toAbsolutePath());
      }
      Path redisDir = dataDir.resolve("redis");
      if (!Files.isDirectory(redisDir)) {
        throw new ParameterException(cli, "there is no embedded Redis data in " + redisDir.toAbsolutePath()
            + "; pass --redis URL if the gateway uses an external Redis");
      }
      try {
        embedded = EmbeddedRedis.start(redisDir);
        url = embedded.url();
      } catch (EmbeddedRedis.InUseException running) {
        url = EmbeddedRedis.running(redisDir).orElseThrow(() -> new IllegalStateException(
            "the embedded Redis of " + dataDir.toAbsolutePath() + " is run by another process but its port is not recorded"
                + " (it may be restarting); try again, or pass --redis redis://:PASSWORD@127.0.0.1:PORT"));
      }
    }
    try {
      return new Connection(Redis.connect(url, Duration.ofSeconds(10)), embedded);
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }
}
