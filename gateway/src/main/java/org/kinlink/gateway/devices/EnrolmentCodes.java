package org.kinlink.gateway.devices;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Parked;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/**
 * One-time kiosk enrolment codes in Redis: only their SHA-256 is kept (a code has 60 random bits and
 * lives {@link #TTL}, so a fast hash is enough), one code per device (a new one replaces the old),
 * consumed by {@code device-enrol.lua} together with storing the device's key.
 */
final class EnrolmentCodes {
  /** How long staff have to type a code into the kiosk. */
  static final Duration TTL = Duration.ofHours(1);
  // Crockford's base32: no I, L, O, U, so a code read aloud or copied by hand survives
  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final int LENGTH = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Redis redis;
  private final Clock clock;
  private static final int MAX_CAS_TRIES = 5;

  private final EnrolScript enrol = new EnrolScript();

  EnrolmentCodes(Redis redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  /** A new code for the device, replacing any earlier one; answers the code (shown once, never stored). */
  Future<String> issue(String deviceId) {
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < LENGTH; i++) {
      if (i > 0 && i % 4 == 0) {
        code.append('-');
      }
      code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    String shown = code.toString();
    String key = Keys.deviceEnrolmentCode(deviceId);
    String expires = Long.toString(clock.instant().plus(TTL).toEpochMilli());
    // the end is decided by the gateway clock; the Redis expiry (a little later) only clears the key away
    return redis.call(c -> c.hset(key, Map.of("sha", hash(shown), "expires", expires)))
        .compose(x -> redis.call(c -> c.pexpire(key, TTL.plusMinutes(1).toMillis())))
        .map(ok -> shown);
  }

  /**
   * Consumes the code and stores the key in the device record (enrolling it again if it was
   * withdrawn) together with the change's audit entry, parked in {@link Keys#dirAuditOutbox()},
   * atomically; answers the committed change, or empty for a wrong, used or expired code or an
   * unknown device (nothing written).
   *
   * @param audit the audit entry of the change, from the exact record before and after
   */
  Future<Optional<Directory.Audited<KioskDevice>>> enrol(String deviceId, String presented, String spkiBase64,
      Directory.AuditOf<KioskDevice> audit) {
    return enrol(deviceId, hash(presented), spkiBase64, audit, 1);
  }

  private Future<Optional<Directory.Audited<KioskDevice>>> enrol(String deviceId, String codeHash, String spkiBase64,
      Directory.AuditOf<KioskDevice> audit, int attempt) {
    return redis.<String>call(c -> c.get(Keys.dirRecord("device", deviceId))).compose(current -> {
      if (current == null) {
        return Future.succeededFuture(Optional.empty());
      }
      KioskDevice before = KioskDevice.fromJson(new JsonObject(current));
      KioskDevice after = before.withKey(spkiBase64);
      Parked parked = audit.of(before, after);
      return enrol.run(redis, deviceId, codeHash, clock.millis(), current, after.toStored().encode(), parked).compose(r -> {
        if (r == EnrolScript.Result.ENROLLED) {
          return Future.succeededFuture(Optional.of(new Directory.Audited<>(new Directory.Change<>(before, after), parked)));
        }
        if (r == EnrolScript.Result.CHANGED_MEANWHILE && attempt < MAX_CAS_TRIES) {
          return enrol(deviceId, codeHash, spkiBase64, audit, attempt + 1);
        }
        return r == EnrolScript.Result.CHANGED_MEANWHILE
            ? Future.failedFuture(ApiException.conflict("CONCURRENT_CHANGE", "The device is being changed by someone else; try again."))
            : Future.succeededFuture(Optional.empty());
      });
    });
  }

  /** Forgets any outstanding code of the device (it is withdrawn). */
  Future<Void> revoke(String deviceId) {
    return redis.call(c -> c.del(Keys.deviceEnrolmentCode(deviceId))).mapEmpty();
  }

  /** Upper case without separators, with the letters people confuse for digits read as the digits. */
  static String normalize(String code) {
    StringBuilder b = new StringBuilder();
    for (char ch : code.toUpperCase(Locale.ROOT).toCharArray()) {
      switch (ch) {
        case '-', ' ' -> { }
        case 'O' -> b.append('0');
        case 'I', 'L' -> b.append('1');
        default -> b.append(ch);
      }
    }
    return b.toString();
  }

  private static String hash(String code) {
    return Directory.sha256("kiosk-enrolment:" + normalize(code));
  }

  /** Typed wrapper of {@code device-enrol.lua}. */
  private static final class EnrolScript {
    private static final LuaScript SCRIPT = LuaScript.load("device-enrol");

    enum Result { ENROLLED, CHANGED_MEANWHILE, NO_CODE }

    Future<Result> run(Redis redis, String deviceId, String codeHash, long now, String expectedJson, String newJson, Parked parked) {
      return redis.<Long>eval(SCRIPT, ScriptOutputType.INTEGER,
              new String[] {Keys.deviceEnrolmentCode(deviceId), Keys.dirRecord("device", deviceId), Keys.dirAuditOutbox()},
              codeHash, Long.toString(now), expectedJson, newJson, parked.changeId(), parked.entry().encode())
          .map(r -> r == 1 ? Result.ENROLLED : r == 0 ? Result.CHANGED_MEANWHILE : Result.NO_CODE);
    }
  }
}
