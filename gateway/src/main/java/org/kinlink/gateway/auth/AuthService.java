package org.kinlink.gateway.auth;

import org.kinlink.gateway.crypto.SecretHasher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.crypto.MasterKey;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.crypto.SecretBox;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.redis.Keys;

/**
 * Sign-in as the rest of the gateway sees it: built once per process by the composition root, started
 * before the verticles (it loads the shared token key and listens for revocations).
 */
public final class AuthService {
  private final Vertx vertx;
  private final Redis redis;
  private final Clock clock;
  private final GatewayConfig config;
  private final MasterKey masterKey;
  private final AuditLog audit;
  private final SecretHasher hasher = new SecretHasher();
  private final SignInGuard guard;
  private final Sessions sessions;
  private final MeView me;
  private volatile AccessTokens tokens;
  private volatile RevocationCache revocations;
  private volatile SignInService signIn;
  private volatile Authenticator authenticator;
  private volatile PasswordChangeService passwordChange;
  private final AuditOutbox directoryOutbox;

  /**
   * @param directoryOutbox the directory's audit outbox, where a password change parks its entry
   */
  public AuthService(Vertx vertx, Redis redis, Clock clock, GatewayConfig config, MasterKey masterKey, AuditLog audit,
      Directory directory, AuditOutbox directoryOutbox, SignInLimits limits) {
    this.directoryOutbox = directoryOutbox;
    this.vertx = vertx;
    this.redis = redis;
    this.clock = clock;
    this.config = config;
    this.masterKey = masterKey;
    this.audit = audit;
    this.guard = new SignInGuard(redis, clock, limits);
    this.sessions = new Sessions(redis, clock, config.refreshTokenTtl(),
        config.accessTokenTtl());
    this.me = new MeView(directory);
  }

  /** Loads the signing key and subscribes to revocations. */
  public Future<Void> start(Directory directory) {
    return AccessTokens.load(vertx, redis, config.accessTokenTtl(),
        clock).compose(t -> {
      tokens = t;
      revocations = new RevocationCache(sessions, redis, config.accessTokenTtl());
      authenticator = new Authenticator(t, revocations, new AccountCheck(directory, clock));
      return SecretBox.load(redis, masterKey, Keys.TOTP_DATA_KEY, "totp");
    }).compose(totp -> {
      directory.sealTotpSecretsWith(totp);
      signIn = new SignInService(vertx, redis, clock, directory, hasher, guard, sessions, tokens,
          revocations, audit, totp);
      passwordChange = new PasswordChangeService(vertx, clock, directory, hasher, directoryOutbox, sessions, guard, signIn);
      return TotpMigration.sealAll(directory).compose(n -> revocations.start());
    });
  }

  /** The root handler that turns bearer tokens into principals. */
  public Authenticator authenticator() {
    return authenticator;
  }

  public SignInService signIn() {
    return signIn;
  }

  /** A signed-in person changes their own password, a prisoner her PIN (and so ends a one-time secret's restricted session). */
  public PasswordChangeService passwordChange() {
    return passwordChange;
  }

  /** Argon2id hashing for PINs and passwords (use its async methods on event loops). */
  public SecretHasher hasher() {
    return hasher;
  }

  /** The {@code /me} answer; other capabilities register their members here. */
  public MeView me() {
    return me;
  }

  public SignInGuard guard() {
    return guard;
  }
}
