package org.kinlink.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.kinlink.gateway.audit.AuditCheckpointFile;
import org.kinlink.gateway.audit.AuditSigningKey;
import org.kinlink.gateway.redis.EmbeddedRedis;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the {@code audit} commands find the chain: {@code --redis URL} (or {@code KINLINK_REDIS_URL}),
 * and/or {@code --data-dir D}, whose {@code audit/checkpoint.json} and signing key are then trusted;
 * with a data dir and no URL, the data dir's own Redis: the running gateway's (found from the
 * embedded Redis pid file) or, when no gateway runs, one started on it as the gateway would.
 */
public final class AuditTarget {
  /** Same name as the embedded Redis writes; the CLI only reads it. */
  private static final String EMBEDDED_PID_FILE = "kinlink-redis.pid";

  @Spec(Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", description = "the gateway's data directory (its checkpoint file, key and embedded Redis)")
  Path dataDir;

  @Option(names = "--redis", description = "redis:// URL of the gateway's Redis (default: KINLINK_REDIS_URL)")
  String redisUrl;

  @Option(names = "--namespace", hidden = true, defaultValue = Keys.AUDIT, description = "key namespace of the chain (tests)")
  String namespace;

  /** An open connection to the chain; close it when done. */
  public record Opened(Redis redis, EmbeddedRedis embedded, String namespace, Optional<AuditCheckpointFile> file,
      Optional<AuditSigningKey> key) implements AutoCloseable {
    @Override
    public void close() {
      redis.close();
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** Connects; bad usage (nothing to connect to) throws a picocli {@link ParameterException} (exit 2). */
  public Opened open() {
    String url = redisUrl != null ? redisUrl : System.getenv("KINLINK_REDIS_URL");
    if (url != null && url.isBlank()) {
      url = null;
    }
    if (url == null && dataDir == null) {
      throw new ParameterException(spec.commandLine(), "give --data-dir D (the gateway's data directory) or --redis URL");
    }
    Optional<AuditCheckpointFile> file = Optional.empty();
    Optional<AuditSigningKey> key = Optional.empty();
    if (dataDir != null) {
      if (!Files.isDirectory(dataDir)) {
        throw new ParameterException(spec.commandLine(), "no data directory at " + dataDir.toAbsolutePath());
      }
      file = Optional.of(AuditCheckpointFile.inDataDir(dataDir));
      Path keyFile = dataDir.resolve("audit").resolve("signing.key");
      if (Files.exists(keyFile)) {
        key = Optional.of(AuditSigningKey.loadOrCreate(keyFile));
      }
    }
    EmbeddedRedis embedded = null;
    if (url == null) {
      Path redisDir = dataDir.resolve("redis");
      if (!Files.isDirectory(redisDir)) {
        throw new ParameterException(spec.commandLine(), "there is no embedded Redis data in " + redisDir.toAbsolutePath()
            + "; pass --redis URL if the gateway uses an external Redis");
      }
      Optional<ProcessHandle> live = liveEmbedded(redisDir);
      if (live.isPresent()) {
        url = portOf(live.get()).map(port -> "redis://127.0.0.1:" + port).orElseThrow(() -> new ParameterException(
            spec.commandLine(), "the gateway's embedded Redis (pid " + live.get().pid() + ") is running on "
                + redisDir.toAbsolutePath() + " but its port cannot be read; pass --redis redis://127.0.0.1:PORT"));
      } else {
        embedded = EmbeddedRedis.start(redisDir);
        url = embedded.url();
      }
    }
    try {
      return new Opened(Redis.connect(url, Duration.ofSeconds(10)), embedded, namespace, file, key);
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  /** A gateway's embedded Redis still running on {@code redisDir} (starting another would stop it). */
  private static Optional<ProcessHandle> liveEmbedded(Path redisDir) {
    try {
      long pid = Long.parseLong(Files.readString(redisDir.resolve(EMBEDDED_PID_FILE)).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(h -> h.info().command().map(c -> c.contains("redis-server")).orElse(false));
    } catch (java.io.IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The port of a running embedded Redis: from its {@code --port} argument, or, since Redis rewrites
   * its process title to {@code redis-server 127.0.0.1:PORT}, from that title in /proc.
   */
  private static Optional<String> portOf(ProcessHandle process) {
    Optional<String> fromArgs = process.info().arguments().flatMap(args -> {
      List<String> list = List.of(args);
      int i = list.indexOf("--port");
      return i >= 0 && i + 1 < list.size() ? Optional.of(list.get(i + 1)) : Optional.empty();
    });
    if (fromArgs.isPresent()) {
      return fromArgs;
    }
    try {
      String title = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(title);
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (java.io.IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
