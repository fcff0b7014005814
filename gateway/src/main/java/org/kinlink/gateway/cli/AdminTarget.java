package org.kinlink.gateway.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.kinlink.gateway.audit.AuditDurability;
import org.kinlink.gateway.audit.AuditEntry;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.RedisAuditLog;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every {@code admin} command takes ({@code --data-dir D | --redis URL}, found as
 * {@link StoreTarget} does) and what they open: the directory of identities and the audit chain,
 * with the operator named {@code cli:<os user>}.
 */
public final class AdminTarget {
  /** How long a revoked session stays refused: longer than any access token a gateway may be configured to issue. */
  static final Duration REVOCATION_MEMORY = Duration.ofDays(1);

  @Spec(Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", description = "the gateway's data directory (its embedded Redis)")
  Path dataDir;

  @Option(names = "--redis", description = "redis:// URL of the gateway's Redis (default: KINLINK_REDIS_URL)")
  String redisUrl;

  /** An open deployment; close it when done. */
  public static final class Session implements AutoCloseable {
    private final StoreTarget.Connection connection;
    private final Directory directory;
    private final RedisAuditLog audit;
    private final String actor;
    private final Clock clock = Clock.systemUTC();

    Session(StoreTarget.Connection connection) {
      this.connection = connection;
      this.directory = new Directory(connection.redis());
      this.audit = new RedisAuditLog(connection.redis(), Keys.AUDIT, clock);
      this.audit.durability(AuditCommand.await(AuditDurability.detect(connection.redis(), Duration.ofSeconds(10))));
      this.actor = "cli:" + System.getProperty("user.name", "unknown");
    }

    public Redis redis() {
      return connection.redis();
    }

    public Directory directory() {
      return directory;
    }

    public Clock clock() {
      return clock;
    }

    /** The operator as the audit log names them. */
    public String actor() {
      return actor;
    }

    /** Appends an entry by the operator and waits until it is durable. */
    public AuditEntry audit(AuditEvent.Builder event) {
      return AuditCommand.await(audit.append(event.build()));
    }

    /** An event by the operator. */
    public AuditEvent.Builder event(String action) {
      return AuditEvent.of(action).actor(actor, "OPERATOR");
    }

    @Override
    public void close() {
      connection.close();
    }
  }

  /** Connects to an existing deployment; nothing to connect to is bad usage (exit 2). */
  public Session open() {
    return open(false);
  }

  /** Connects; with {@code mayCreate}, a data dir not made yet is made (a deployment's very first command). */
  public Session open(boolean mayCreate) {
    StoreTarget.Connection c = StoreTarget.open(spec.commandLine(), dataDir, redisUrl, mayCreate);
    try {
      return new Session(c);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }
}
