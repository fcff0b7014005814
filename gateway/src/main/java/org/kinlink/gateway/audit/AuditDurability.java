package org.kinlink.gateway.audit;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.redis.StoreUnavailableException;
import org.kinlink.gateway.redis.UnlistedCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an audit append does, after Redis has answered, to be sure the entry is on disk.
 *
 * <ul>
 *   <li>{@link #FSYNC_BY_SERVER}: nothing; the server runs {@code appendonly yes} +
 *       {@code appendfsync always} and so fsyncs the AOF before it replies (the embedded Redis).
 *   <li>{@link #waitAof}: the server fsyncs less often but is Redis 7.2 or later, so
 *       {@code WAITAOF 1 0 <timeout>} blocks until the local AOF holds the write.
 * </ul>
 *
 * {@link #detect} picks one from the server's own answers; when it can tell neither (a managed
 * Redis hiding CONFIG, or Redis Cluster, where WAITAOF would not reach the audit shard), it logs
 * what the operator must configure and relies on the server's settings.
 */
public final class AuditDurability {
  private static final Logger log = LoggerFactory.getLogger(AuditDurability.class);

  /** The server fsyncs before replying. */
  public static final AuditDurability FSYNC_BY_SERVER = new AuditDurability(null);

  private final Duration waitAofTimeout;

  private AuditDurability(Duration waitAofTimeout) {
    this.waitAofTimeout = waitAofTimeout;
  }

  /** Waits for the local AOF fsync with WAITAOF (Redis 7.2+, standalone). */
  public static AuditDurability waitAof(Duration timeout) {
    return new AuditDurability(timeout);
  }

  /** True when appends issue WAITAOF. */
  public boolean usesWaitAof() {
    return waitAofTimeout != null;
  }

  /**
   * Completes once what the connection of {@code scriptKey} wrote so far is on disk: the append
   * script ran on that key's lane, and WAITAOF answers for its own connection only.
   */
  Future<Void> confirm(Redis redis, String scriptKey) {
    if (waitAofTimeout == null) {
      return Future.succeededFuture();
    }
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8)
        .add(1).add(0).add(waitAofTimeout.toMillis());
    return redis.<List<Object>>callBesideKey(scriptKey, c -> c.dispatch(UnlistedCommand.WAITAOF, new ArrayOutput<>(StringCodec.UTF8), args))
        .compose(reply -> {
          long local = reply.isEmpty() ? 0 : ((Number) reply.get(0)).longValue();
          return local >= 1 ? Future.<Void>succeededFuture()
              : Future.failedFuture(new StoreUnavailableException(
                  "the audit entry was not fsynced within " + waitAofTimeout.toMillis() + " ms", null));
        });
  }

  /** Chooses from the server's version, mode and AOF settings; never fails. */
  public static Future<AuditDurability> detect(Redis redis, Duration timeout) {
    Future<String> info = redis.call(c -> c.info("server"));
    // one parameter per CONFIG GET: Redis before 7.0 takes a single pattern
    Future<Map<String, String>> appendonly = redis.call(c -> c.configGet("appendonly"));
    Future<Map<String, String>> appendfsync = redis.call(c -> c.configGet("appendfsync"));
    return Future.join(info, appendonly, appendfsync).transform(ar -> {
      Map<String, String> settings = new java.util.HashMap<>();
      if (appendonly.succeeded()) {
        settings.putAll(appendonly.result());
      }
      if (appendfsync.succeeded()) {
        settings.putAll(appendfsync.result());
      }
      String text = info.succeeded() ? info.result() : "";
      boolean always = "yes".equals(settings.get("appendonly")) && "always".equals(settings.get("appendfsync"));
      if (always) {
        return Future.succeededFuture(FSYNC_BY_SERVER);
      }
      boolean standalone = field(text, "redis_mode").map("standalone"::equals).orElse(false);
      boolean hasWaitAof = field(text, "redis_version").map(AuditDurability::atLeast72).orElse(false);
      if (standalone && hasWaitAof) {
        log.info("audit appends wait for the AOF fsync with WAITAOF (appendfsync is {})",
            settings.getOrDefault("appendfsync", "not readable"));
        return Future.succeededFuture(waitAof(timeout));
      }
      log.warn("audit entries are durable only if Redis runs with appendonly yes and appendfsync always "
          + "(this server reports appendonly={}, appendfsync={}); configure it so, or use Redis 7.2+ standalone",
          settings.getOrDefault("appendonly", "?"), settings.getOrDefault("appendfsync", "?"));
      return Future.succeededFuture(FSYNC_BY_SERVER);
    });
  }

  private static java.util.Optional<String> field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return java.util.Optional.of(line.substring(name.length() + 1).trim());
      }
    }
    return java.util.Optional.empty();
  }

  static boolean atLeast72(String version) {
    String[] parts = version.split("\\.");
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return major > 7 || (major == 7 && minor >= 2);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
