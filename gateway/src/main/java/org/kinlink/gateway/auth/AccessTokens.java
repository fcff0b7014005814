package org.kinlink.gateway.auth;

import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.identity.Principal;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Short-lived access tokens: JWTs (HS256, vertx-auth-jwt) carrying sub, role, est, pid, sid, iat and
 * exp (and {@code pwc: true} on a session that may only change its password or, a prisoner's, her PIN), issuer {@code kinlink}
 * and audience {@code kinlink-api}.
 *
 * <p>The 256-bit HMAC key is shared by every node through Redis: the first node to start creates it
 * with SET NX and all others read it. Trade-off: anyone who can read Redis can mint tokens — but
 * they can read and change every record anyway, so Redis access is already the crown jewel; in
 * exchange there is no key file to distribute. Deleting the key (and restarting the nodes) rotates
 * it and signs everybody out.
 *
 * <p>{@code iat} and {@code exp} come from the gateway's clock, and expiry is checked here against
 * that clock rather than by vertx-auth-jwt (which reads the system time), so a token's life follows
 * the same clock as sessions and sign-in codes.
 */
public final class AccessTokens {
  static final String ISSUER = "kinlink";
  static final String AUDIENCE = "kinlink-api";
  private static final String ALGORITHM = "HS256";

  private final JWTAuth jwt;
  private final Duration ttl;
  private final Clock clock;

  private AccessTokens(JWTAuth jwt, Duration ttl, Clock clock) {
    this.jwt = jwt;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** Reads the shared key from Redis, creating it first if no node has yet. */
  public static Future<AccessTokens> load(Vertx vertx, Redis redis, Duration ttl, Clock clock) {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    String candidate = Base64.getUrlEncoder().withoutPadding().encodeToString(fresh);
    return redis.call(c -> c.set(Keys.TOKEN_KEY, candidate, SetArgs.Builder.nx()))
        .compose(ignored -> redis.<String>call(c -> c.get(Keys.TOKEN_KEY)))
        .map(key -> {
          if (key == null) {
            throw new IllegalStateException("the token signing key vanished from Redis while starting");
          }
          JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
              .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(key))
              .setJWTOptions(new JWTOptions().setIssuer(ISSUER).addAudience(AUDIENCE).setLeeway(0)
                  .setIgnoreExpiration(true)));
          return new AccessTokens(auth, ttl, clock);
        });
  }

  /** How long an access token lives. */
  public Duration ttl() {
    return ttl;
  }

  /** A verified token: its principal, and whether it may only change the account's password (claim {@code pwc}). */
  public record Verified(Principal principal, boolean passwordChangeOnly) {}

  /** Signs an access token for the principal (which must carry a session id). */
  public String issue(Principal p) {
    return issue(p, false);
  }

  /**
   * Signs an access token; {@code passwordChangeOnly} for a session opened with a one-time password (or
   * a PIN staff set), which the {@link Authenticator} lets change that secret and sign out, nothing else.
   */
  public String issue(Principal p, boolean passwordChangeOnly) {
    long now = clock.instant().getEpochSecond();
    JsonObject claims = new JsonObject().put("role", p.role().name()).put("sid", p.sessionId())
        .put("iat", now).put("exp", now + ttl.toSeconds());
    if (passwordChangeOnly) {
      claims.put("pwc", true);
    }
    if (p.establishment() != null) {
      claims.put("est", p.establishment());
    }
    if (p.personId() != null) {
      claims.put("pid", p.personId());
    }
    return jwt.generateToken(claims, new JWTOptions()
        .setAlgorithm(ALGORITHM)
        .setSubject(p.accountId())
        .setIssuer(ISSUER)
        .addAudience(AUDIENCE)
        .setNoTimestamp(true));
  }

  /** Checks signature, issuer, audience and expiry; fails for any token that is not ours or is out of date. */
  public Future<Verified> verify(String token) {
    return jwt.authenticate(new TokenCredentials(token)).map(user -> {
      // vertx-auth-jwt keeps the decoded claims as the user's "accessToken" attribute
      JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
      String sub = claims.getString("sub");
      String sid = claims.getString("sid");
      String role = claims.getString("role");
      if (sub == null || sid == null || role == null || !(claims.getValue("exp") instanceof Number exp)) {
        throw new IllegalArgumentException("token lacks sub, sid, role or exp");
      }
      long now = clock.instant().getEpochSecond();
      if (now >= exp.longValue() || claims.getLong("iat", 0L) > now) {
        throw new IllegalArgumentException("token expired or issued in the future");
      }
      return new Verified(new Principal(sub, Role.valueOf(role), claims.getString("est"), claims.getString("pid"), sid),
          Boolean.TRUE.equals(claims.getValue("pwc")));
    });
  }
}
