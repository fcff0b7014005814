package org.kinlink.gateway.auth;

import io.vertx.core.Future;
import org.kinlink.gateway.Services;
import org.kinlink.gateway.crypto.SecretBox;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.redis.Keys;

/**
 * Sign-in as the rest of the gateway sees it: built once per process in {@link Services}, started
 * before the verticles (it loads the shared token key and listens for revocations).
 */
public final class AuthService {
  private final Services services;
  private final SecretHasher hasher = new SecretHasher();
  private final SignInGuard guard;
  private final Sessions sessions;
  private final MeView me;
  private volatile AccessTokens tokens;
  private volatile RevocationCache revocations;
  private volatile SignInService signIn;
  private volatile Authenticator authenticator;

  public AuthService(Services services, Directory directory, SignInLimits limits) {
    this.services = services;
    this.guard = new SignInGuard(services.redis(), services.clock(), limits);
    this.sessions = new Sessions(services.redis(), services.clock(), services.config().refreshTokenTtl(),
        services.config().accessTokenTtl());
    this.me = new MeView(directory);
  }

  /** Loads the signing key and subscribes to revocations. */
  public Future<Void> start(Directory directory) {
    return AccessTokens.load(services.vertx(), services.redis(), services.config().accessTokenTtl(),
        services.clock()).compose(t -> {
      tokens = t;
      revocations = new RevocationCache(sessions, services.redis(), services.config().accessTokenTtl());
      authenticator = new Authenticator(t, revocations, new AccountCheck(directory, services.clock()));
      return SecretBox.load(services.redis(), services.masterKey(), Keys.TOTP_DATA_KEY, "totp");
    }).compose(totp -> {
      directory.sealTotpSecretsWith(totp);
      signIn = new SignInService(services.vertx(), services.redis(), services.clock(), directory, hasher, guard, sessions, tokens,
          revocations, services.audit(), totp);
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
