package org.kinlink.gateway.auth;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/**
 * Rate limits on sign-in, kept in Redis by Lua scripts so every node counts the same tries.
 *
 * <p>Per sign-in name (a prison number or an email, hashed): {@link SignInLimits#triesBeforeLock()}
 * wrong tries in a row lock the name for {@link SignInLimits#lockFor()}. Names that have no account
 * are counted and locked exactly like real ones, so a lock reveals nothing about who exists.
 *
 * <p>Per source address: failed sign-ins in a window; past the limit the source waits for the
 * window to end. The source is the TCP peer: behind a reverse proxy that is the proxy, so either the
 * proxy must rate-limit, or the gateway must be told to trust its X-Forwarded-For (not done by
 * default, because a client could send that header itself). IPv6 sources are counted per /64.
 */
public final class SignInGuard {
  private static final LuaScript BEGIN = LuaScript.load("auth-attempt-begin");
  private static final LuaScript END = LuaScript.load("auth-attempt-end");
  private static final LuaScript LIFT = LuaScript.load("auth-lock-lift");
  private static final LuaScript SOURCE_CHECK = LuaScript.load("auth-source-check");
  private static final LuaScript SOURCE_FAIL = LuaScript.load("auth-source-fail");

  private final Redis redis;
  private final Clock clock;
  private final SignInLimits limits;

  public SignInGuard(Redis redis, Clock clock, SignInLimits limits) {
    this.redis = redis;
    this.clock = clock;
    this.limits = limits;
  }

  public SignInLimits limits() {
    return limits;
  }

  /** The outcome of starting a try. {@code lockedUntil} set = refused; {@code endedLock} = a lock that ran out (audit it). */
  public record Start(Instant lockedUntil, boolean lockedNow, Instant endedLock) {
    public boolean refused() {
      return lockedUntil != null;
    }
  }

  /** The outcome of a failed try: {@code lockedUntil} set when this failure locked the name. */
  public record Failure(int tries, Instant lockedUntil) {}

  /** The throttle key of a sign-in name ("kiosk:A1234BC", "login:someone@example.org"). */
  public static String nameKey(String name) {
    return Directory.sha256(name);
  }

  /** Starts a try for a name: refused while the name is locked. */
  public Future<Start> begin(String name) {
    String h = nameKey(name);
    long now = clock.millis();
    return redis.<List<Object>>eval(BEGIN, ScriptOutputType.MULTI, new String[] {Keys.signInFailures(h), Keys.signInLock(h)},
        Long.toString(now), Integer.toString(limits.triesBeforeLock()), Long.toString(now + limits.lockFor().toMillis()),
        Long.toString(limits.lockFor().plus(limits.lockKept()).toMillis()), Long.toString(limits.lockFor().toMillis()))
        .map(r -> switch (str(r, 0)) {
          case "LOCKED" -> new Start(instant(str(r, 1)), false, null);
          case "LOCKED_NOW" -> new Start(instant(str(r, 1)), true, instant(str(r, 2)));
          default -> new Start(null, false, instant(str(r, 2)));
        });
  }

  /** The secret was right: the count of wrong tries starts again. */
  public Future<Void> succeeded(String name) {
    return end(name, "OK").mapEmpty();
  }

  /** Not a try after all (the password was right and the second factor is still to come). */
  public Future<Void> undo(String name) {
    return end(name, "UNDO").mapEmpty();
  }

  /** A wrong try; may lock the name. */
  public Future<Failure> failed(String name) {
    return end(name, "FAIL").map(r -> "LOCKED".equals(str(r, 0))
        ? new Failure(limits.triesBeforeLock(), instant(str(r, 1)))
        : new Failure(Integer.parseInt(str(r, 1)), null));
  }

  /** Lifts a lock early; answers the end the lock had, or null when there was none. */
  public Future<Instant> lift(String name) {
    String h = nameKey(name);
    return redis.<String>eval(LIFT, ScriptOutputType.VALUE, new String[] {Keys.signInFailures(h), Keys.signInLock(h)})
        .map(SignInGuard::instant);
  }

  /** When this source may try again, or null when it may now. */
  public Future<Instant> sourceBlockedUntil(String source) {
    return redis.<List<Object>>eval(SOURCE_CHECK, ScriptOutputType.MULTI,
        new String[] {Keys.signInSource(source), Keys.signInSourceWindow(source)},
        Integer.toString(limits.sourceFailures()), Long.toString(clock.millis()))
        .map(r -> "LIMITED".equals(str(r, 0)) ? clock.instant().plusMillis(Math.max(1000, Long.parseLong(str(r, 1)))) : null);
  }

  /** Counts a failed sign-in from a source. */
  public Future<Void> sourceFailed(String source) {
    return redis.<Long>eval(SOURCE_FAIL, ScriptOutputType.INTEGER,
        new String[] {Keys.signInSource(source), Keys.signInSourceWindow(source)},
        Long.toString(limits.sourceWindow().toMillis()), Long.toString(clock.millis())).mapEmpty();
  }

  /** The source address as counted: IPv4 as is, IPv6 by its /64 network. */
  public static String sourceOf(String hostAddress) {
    if (hostAddress == null) {
      return "unknown";
    }
    try {
      InetAddress a = InetAddress.getByName(hostAddress);
      byte[] b = a.getAddress();
      if (b.length == 16) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
          s.append(String.format("%02x%02x:", b[i], b[i + 1]));
        }
        return s.append(":/64").toString();
      }
      return a.getHostAddress();
    } catch (UnknownHostException e) {
      return hostAddress;
    }
  }

  private Future<List<Object>> end(String name, String outcome) {
    String h = nameKey(name);
    long now = clock.millis();
    return redis.eval(END, ScriptOutputType.MULTI, new String[] {Keys.signInFailures(h), Keys.signInLock(h)},
        outcome, Integer.toString(limits.triesBeforeLock()), Long.toString(now + limits.lockFor().toMillis()),
        Long.toString(limits.lockFor().plus(limits.lockKept()).toMillis()));
  }

  private static String str(List<Object> r, int i) {
    if (i >= r.size() || r.get(i) == null) {
      return "";
    }
    Object o = r.get(i);
    return o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : o.toString();
  }

  private static Instant instant(String millis) {
    return millis == null || millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
  }
}
