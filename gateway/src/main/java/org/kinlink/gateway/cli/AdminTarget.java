package org.kinlink.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.kinlink.gateway.audit.AuditDurability;
import org.kinlink.gateway.audit.AuditEntry;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.audit.RedisAuditLog;
import org.kinlink.gateway.config.ConfigException;
import org.kinlink.gateway.crypto.MasterKey;
import org.kinlink.gateway.crypto.SecretBox;
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
    private final AuditOutbox outbox;
    private final String actor;
    private final Clock clock = Clock.systemUTC();

    Session(StoreTarget.Connection connection) {
      this.connection = connection;
      this.directory = new Directory(connection.redis());
      this.audit = new RedisAuditLog(connection.redis(), Keys.AUDIT, clock);
      this.audit.durability(AuditCommand.await(AuditDurability.detect(connection.redis(), Duration.ofSeconds(10))));
      // no sweeping here: what this command leaves parked, a gateway's sweeper of the same outbox completes
      this.outbox = new AuditOutbox(connection.redis(), audit, clock, Duration.ZERO);
      this.actor = "cli:" + System.getProperty("user.name", "unknown");
    }

    /** Completes the parked audit entries of the directory's changes this command makes. */
    public AuditOutbox outbox() {
      return outbox;
    }

    /** Waits until a directory change's parked audit entry is on the chain. */
    public void audited(org.kinlink.gateway.people.Parked parked) {
      AuditCommand.await(outbox.complete(Keys.dirAuditOutbox(), parked.entry()));
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

    /** The audit chain, for services that append their own entries (e.g. device enrolment). */
    public RedisAuditLog auditLog() {
      return audit;
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

  /**
   * Connects as {@link #open(boolean)} does, with TOTP secrets written sealed under the master key at
   * once, as the gateway writes them. The master key is {@code KINLINK_MASTER_KEY} when set, else
   * {@code <data-dir>/keys/master.key} (made here only with {@code mayCreate}, as {@code serve} would
   * make it). Without a master key nothing is written: a configuration error (exit 2) saying where it looks.
   */
  public Session openSealingSecrets(boolean mayCreate) {
    String fromEnv = System.getenv(MasterKey.ENV);
    boolean inEnv = fromEnv != null && !fromEnv.isBlank();
    Path keyFile = dataDir == null ? null : dataDir.resolve("keys").resolve("master.key");
    if (!inEnv && (keyFile == null || !mayCreate && !Files.exists(keyFile))) {
      throw new ConfigException(keyFile == null ? "--data-dir" : keyFile.toString(), "TOTP secrets are stored sealed with the "
          + "master key, which is in <data-dir>/keys/master.key or " + MasterKey.ENV + ", and neither is "
          + (keyFile == null ? "given" : "there") + "; give the gateway's --data-dir (also with --redis) or set " + MasterKey.ENV
          + " as the gateway has it. Nothing was changed.");
    }
    Session s = open(mayCreate);
    try {
      MasterKey master = MasterKey.loadOrCreate(dataDir, Optional.ofNullable(inEnv ? fromEnv : null));
      SecretBox box;
      try {
        box = AuditCommand.await(SecretBox.load(s.redis(), master, Keys.TOTP_DATA_KEY, "totp"));
      } catch (IllegalStateException e) {
        throw new ConfigException(inEnv ? MasterKey.ENV : keyFile.toString(), e.getMessage() + " Nothing was changed.");
      }
      s.directory().sealTotpSecretsWith(box);
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
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
