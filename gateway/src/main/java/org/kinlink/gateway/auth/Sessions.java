package org.kinlink.gateway.auth;

import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.identity.Principal;
import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/**
 * Sessions and their rotating refresh tokens in Redis.
 *
 * <p>A refresh token is {@code <sid>.<256 random bits, base64url>}; Redis keeps only the SHA-256 of
 * the whole token. Each refresh hands out a new token and marks the old one used; presenting a used
 * token again means it was copied, so the whole session (family) is revoked. The session id in the
 * token keeps every key of a session in one cluster slot. Refresh tokens live
 * {@code refreshTokenTtl} from their issue (sliding with each rotation).
 */
public final class Sessions {
  private static final LuaScript CREATE = LuaScript.load("auth-session-create");
  private static final LuaScript REFRESH = LuaScript.load("auth-refresh");
  private static final LuaScript REVOKE = LuaScript.load("auth-revoke");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Redis redis;
  private final Clock clock;
  private final Duration refreshTtl;
  private final Duration accessTtl;
  private final SecureRandom random = new SecureRandom();

  public Sessions(Redis redis, Clock clock, Duration refreshTtl, Duration accessTtl) {
    this.redis = redis;
    this.clock = clock;
    this.refreshTtl = refreshTtl;
    this.accessTtl = accessTtl;
  }

  /**
   * A new session's principal (with its sid) and first refresh token; {@code passwordChangeOnly} when
   * it was opened with a one-time password and may only change it.
   */
  public record Started(Principal principal, String refreshToken, boolean passwordChangeOnly) {}

  /** What a refresh found. */
  public enum Outcome { OK, REUSE, UNKNOWN, REVOKED, EXPIRED }

  /**
   * The result of a refresh: on OK, the session's principal and the new refresh token (and whether the
   * session may only change its password); on REUSE, whose family was revoked.
   */
  public record Rotation(Outcome outcome, Principal principal, String refreshToken, boolean passwordChangeOnly) {}

  /** Opens a full session for an account. */
  public Future<Started> start(String accountId, Role role, String establishment, String personId) {
    return start(accountId, role, establishment, personId, false);
  }

  /** Opens a session for an account; {@code passwordChangeOnly} for a sign-in with a one-time password or a PIN staff set. */
  public Future<Started> start(String accountId, Role role, String establishment, String personId, boolean passwordChangeOnly) {
    String sid = UUID.randomUUID().toString();
    String token = newToken(sid);
    long now = clock.millis();
    Principal p = new Principal(accountId, role, establishment, personId, sid);
    return redis.<String>eval(CREATE, ScriptOutputType.VALUE, new String[] {Keys.session(sid)},
        hash(token), Long.toString(now + refreshTtl.toMillis()), Long.toString(keyLife().toMillis()), accountId, role.name(),
        nz(establishment), nz(personId), Long.toString(now), passwordChangeOnly ? "1" : "")
        .compose(ok -> redis.call(c -> c.sadd(Keys.accountSessions(accountId), sid)))
        .compose(n -> redis.call(c -> c.pexpire(Keys.accountSessions(accountId), keyLife().toMillis())))
        .map(x -> new Started(p, token, passwordChangeOnly));
  }

  /** Rotates a refresh token. */
  public Future<Rotation> rotate(String presented) {
    String sid = sidOf(presented);
    if (sid == null) {
      return Future.succeededFuture(new Rotation(Outcome.UNKNOWN, null, null, false));
    }
    String next = newToken(sid);
    long now = clock.millis();
    return redis.<List<Object>>eval(REFRESH, ScriptOutputType.MULTI,
        new String[] {Keys.session(sid), Keys.sessionUsed(sid), Keys.sessionRevoked(sid)},
        hash(presented), hash(next), Long.toString(now), Long.toString(now + refreshTtl.toMillis()),
        Long.toString(keyLife().toMillis()), Long.toString(accessTtl.toMillis()))
        .map(r -> {
          Outcome o = Outcome.valueOf(String.valueOf(r.get(0)));
          if (o != Outcome.OK && o != Outcome.REUSE) {
            return new Rotation(o, null, null, false);
          }
          Principal p = new Principal(String.valueOf(r.get(1)), Role.valueOf(String.valueOf(r.get(2))),
              empty(String.valueOf(r.get(3))), empty(String.valueOf(r.get(4))), sid);
          boolean passwordChangeOnly = r.size() > 5 && "1".equals(String.valueOf(r.get(5)));
          return new Rotation(o, p, o == Outcome.OK ? next : null, passwordChangeOnly);
        });
  }

  /** Revokes a session; answers its state before (ACTIVE, REVOKED, or NONE when it had expired). */
  public Future<String> revoke(String sid, String reason) {
    return redis.eval(REVOKE, ScriptOutputType.VALUE, new String[] {Keys.session(sid), Keys.sessionRevoked(sid)},
        reason, Long.toString(accessTtl.toMillis()));
  }

  /** True while access tokens of this session must be refused. */
  public Future<Boolean> isRevoked(String sid) {
    return redis.<Long>call(c -> c.exists(Keys.sessionRevoked(sid))).map(n -> n != null && n > 0);
  }

  /** Session ids an account may still hold (some may have ended). */
  public Future<List<String>> sessionsOf(String accountId) {
    return redis.<java.util.Set<String>>call(c -> c.smembers(Keys.accountSessions(accountId))).map(List::copyOf);
  }

  /** The session id a refresh token belongs to, or null when it is not one of ours. */
  public static String sidOf(String token) {
    if (token == null) {
      return null;
    }
    int dot = token.indexOf('.');
    if (dot != 36 || token.length() != 36 + 1 + 43) {
      return null;
    }
    String sid = token.substring(0, dot);
    try {
      UUID.fromString(sid);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return sid;
  }

  private Duration keyLife() {
    // the session is remembered a little longer than its last refresh token, so late reuse is still caught
    return refreshTtl.plus(accessTtl);
  }

  private String newToken(String sid) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    return sid + "." + B64.encodeToString(secret);
  }

  private static String hash(String token) {
    return Directory.sha256(token);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String empty(String s) {
    return s == null || s.isEmpty() || "null".equals(s) ? null : s;
  }
}
