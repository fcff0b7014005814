package org.kinlink.gateway.auth;

import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.kinlink.gateway.crypto.DeviceKey;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Kiosk sign-in challenges: a random nonce per sign-in, bound to the device it was issued to, kept
 * in Redis for {@link #TTL} (by the gateway clock) and taken with {@code GETDEL}, so it is accepted once, by one node,
 * for that device only. The kiosk signs the nonce string with its enrolled key.
 */
public final class KioskChallenges {
  /** How long a kiosk has to sign and send a challenge. */
  public static final Duration TTL = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Redis redis;
  private final Clock clock;

  public KioskChallenges(Redis redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  /** A new nonce for the device: 256 random bits, base64url without padding (43 characters). */
  public Future<String> issue(KioskDevice device) {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    // the end is decided by the gateway clock; the Redis expiry (a little later) only clears the key away
    String value = clock.instant().plus(TTL).toEpochMilli() + " " + device.id();
    return redis.call(c -> c.set(Keys.kioskNonce(nonce), value, SetArgs.Builder.px(TTL.plusSeconds(30).toMillis()))).map(ok -> nonce);
  }

  /** Why a proof was refused (for the audit log; the kiosk hears one answer for all). */
  public enum Problem { NONCE_UNKNOWN, NONCE_EXPIRED, NONCE_OTHER_DEVICE, BAD_SIGNATURE }

  /**
   * Consumes the nonce whatever the outcome (a refused proof cannot be retried with the same
   * nonce) and checks that it was issued to this device and that the signature is by its key.
   * Answers null when the proof holds.
   */
  public Future<Problem> verify(KioskDevice device, String nonce, String signature) {
    return redis.<String>call(c -> c.getdel(Keys.kioskNonce(nonce))).map(stored -> {
      if (stored == null) {
        return Problem.NONCE_UNKNOWN;
      }
      int space = stored.indexOf(' ');
      long expiresAt = Long.parseLong(stored.substring(0, space));
      String issuedTo = stored.substring(space + 1);
      if (clock.millis() > expiresAt) {
        return Problem.NONCE_EXPIRED;
      }
      if (!issuedTo.equals(device.id())) {
        return Problem.NONCE_OTHER_DEVICE;
      }
      return DeviceKey.parse(device.publicKey()).verify(nonce, signature) ? null : Problem.BAD_SIGNATURE;
    });
  }
}
