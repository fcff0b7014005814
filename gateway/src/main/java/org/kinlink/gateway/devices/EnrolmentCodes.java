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
import org.kinlink.gateway.people.Directory;
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
   * withdrawn), atomically; answers the device as it was before, or empty for a wrong, used or
   * expired code.
   */
  Future<Optional<KioskDevice>> enrol(String deviceId, String presented, String spkiBase64) {
    return enrol.run(redis, deviceId, hash(presented), spkiBase64, clock.millis());
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

    Future<Optional<KioskDevice>> run(Redis redis, String deviceId, String codeHash, String spkiBase64, long now) {
      return redis.<String>eval(SCRIPT, ScriptOutputType.VALUE,
              new String[] {Keys.deviceEnrolmentCode(deviceId), Keys.dirRecord("device", deviceId)}, codeHash, spkiBase64,
              Long.toString(now))
          .map(before -> Optional.ofNullable(before).map(b -> KioskDevice.fromJson(new JsonObject(b))));
    }
  }
}
