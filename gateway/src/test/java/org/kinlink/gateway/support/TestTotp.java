package org.kinlink.gateway.support;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 one-time codes for tests (HMAC-SHA-1, 6 digits, 30-second steps, base32 secret), made
 * the way an authenticator app makes them, independently of the gateway's own implementation.
 * The gateway accepts a code one step either side of now but never a step at or before the last
 * one it accepted for the account, so {@link #nextCode()} hands out strictly increasing steps and,
 * when it has run ahead of the accepted window, moves the {@link TestClock} on instead of waiting.
 */
public final class TestTotp {
  public static final long STEP_SECONDS = 30;
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private final byte[] key;
  private final Clock clock;
  private long lastStep = Long.MIN_VALUE;

  public TestTotp(String base32Secret, Clock clock) {
    this.key = base32(base32Secret);
    this.clock = clock;
  }

  /** The code an authenticator app shows at {@code at}. */
  public static String code(String base32Secret, Instant at) {
    TestTotp t = new TestTotp(base32Secret, Clock.systemUTC());
    return t.code(Math.floorDiv(at.getEpochSecond(), STEP_SECONDS));
  }

  /** The code of the clock's current step (does not count as handed out). */
  public String code() {
    return code(currentStep());
  }

  /** The code for one time step (RFC 4226 dynamic truncation over HMAC-SHA-1 of the step). */
  public String code(long step) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
      int offset = h[h.length - 1] & 0x0f;
      int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16)
          | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
      return String.format(Locale.ROOT, "%06d", binary % 1_000_000);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
  }

  /** The current time step. */
  public long currentStep() {
    return Math.floorDiv(clock.instant().getEpochSecond(), STEP_SECONDS);
  }

  /**
   * A code for a step later than any this helper handed out (and not before the current one, in
   * case earlier tests used it). When that step is beyond the gateway's window the test clock is
   * moved to the first moment the code is accepted; a real clock would have to be waited for, which
   * tests never do.
   */
  public synchronized String nextCode() {
    long step = Math.max(currentStep(), lastStep + 1);
    if (step > currentStep() + 1) {
      if (!(clock instanceof TestClock test)) {
        throw new IllegalStateException("the next one-time code is " + (step - 1 - currentStep())
            + " steps away on a real clock: use a TestClock");
      }
      Instant acceptedFrom = Instant.ofEpochSecond((step - 1) * STEP_SECONDS);
      test.advance(Duration.between(test.instant(), acceptedFrom));
    }
    lastStep = step;
    return code(step);
  }

  private static byte[] base32(String secret) {
    String s = secret.trim().toUpperCase(Locale.ROOT).replace("=", "").replace(" ", "");
    ByteBuffer out = ByteBuffer.allocate(s.length() * 5 / 8);
    int buffer = 0;
    int bits = 0;
    for (char c : s.toCharArray()) {
      int v = ALPHABET.indexOf(c);
      if (v < 0) {
        throw new IllegalArgumentException("not base32: " + c);
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out.put((byte) (buffer >> (bits - 8)));
        bits -= 8;
      }
    }
    return out.array();
  }
}
