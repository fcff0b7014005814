package org.kinlink.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * with a data dir and no URL, the data dir's own Redis ({@link StoreTarget}).
 */
public final class AuditTarget {
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
    if (StoreTarget.url(redisUrl) == null && dataDir == null) {
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
    StoreTarget.Connection c = StoreTarget.open(spec.commandLine(), dataDir, redisUrl);
    return new Opened(c.redis(), c.embedded(), namespace, file, key);
  }
}
