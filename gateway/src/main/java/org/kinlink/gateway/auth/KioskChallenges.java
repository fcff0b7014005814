package org.kinlink.gateway.auth;

import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.kinlink.gateway.crypto.DeviceKey;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Kiosk sign-in challenges: a random nonce per sign-in, bound to the device it was issued to, kept
 * in Redis for {@link #TTL} and taken with {@code GETDEL}, so it is accepted once, by one node,
 * for that device only. The kiosk signs the nonce string with its enrolled key.
 */
public final class KioskChallenges {
  /** How long a kiosk has to sign and send a challenge. */
  public static final Duration TTL = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Redis redis;

  public KioskChallenges(Redis redis) {
    this.redis = redis;
  }

  /** A new nonce for the device: 256 random bits, base64url without padding (43 characters). */
  public Future<String> issue(KioskDevice device) {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    return redis.call(c -> c.set(Keys.kioskNonce(nonce), device.id(), SetArgs.Builder.px(TTL.toMillis()))).map(ok -> nonce);
  }

  /** Why a proof was refused (for the audit log; the kiosk hears one answer for all). */
  public enum Problem { NONCE_UNKNOWN, NONCE_OTHER_DEVICE, BAD_SIGNATURE }

  /**
   * Consumes the nonce whatever the outcome (a refused proof cannot be retried with the same
   * nonce) and checks that it was issued to this device and that the signature is by its key.
   * Answers null when the proof holds.
   */
  public Future<Problem> verify(KioskDevice device, String nonce, String signature) {
    return redis.<String>call(c -> c.getdel(Keys.kioskNonce(nonce))).map(issuedTo -> {
      if (issuedTo == null) {
        return Problem.NONCE_UNKNOWN;
      }
      if (!issuedTo.equals(device.id())) {
        return Problem.NONCE_OTHER_DEVICE;
      }
      return DeviceKey.parse(device.publicKey()).verify(nonce, signature) ? null : Problem.BAD_SIGNATURE;
    });
  }
}
