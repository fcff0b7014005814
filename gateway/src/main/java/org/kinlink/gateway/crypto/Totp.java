package org.kinlink.gateway.crypto;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.encoders.Base32;

/**
 * RFC 6238 time-based one-time passwords as authenticator apps make them: HMAC-SHA-1 (Bouncy
 * Castle), 6 digits, 30-second steps, base32 secrets. A code is accepted one step either side of
 * now to allow for clock drift; the caller records the accepted step so a code is never used twice.
 */
public final class Totp {
  public static final int DIGITS = 6;
  public static final long STEP_SECONDS = 30;
  /** Steps accepted either side of the current one. */
  public static final int WINDOW = 1;

  private Totp() {}

  /** A new random 160-bit secret, base32 without padding (what authenticator apps expect). */
  public static String newSecret() {
    byte[] bytes = new byte[20];
    new SecureRandom().nextBytes(bytes);
    return Base32.toBase32String(bytes).replace("=", "");
  }

  /** The time step of an instant. */
  public static long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
  }

  /** The code for one time step. */
  public static String code(String base32Secret, long step) {
    HMac mac = new HMac(new SHA1Digest());
    mac.init(new KeyParameter(decode(base32Secret)));
    byte[] counter = ByteBuffer.allocate(8).putLong(step).array();
    mac.update(counter, 0, counter.length);
    byte[] h = new byte[mac.getMacSize()];
    mac.doFinal(h, 0);
    int offset = h[h.length - 1] & 0x0f;
    int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
    return String.format(Locale.ROOT, "%0" + DIGITS + "d", binary % 1_000_000);
  }

  /** The step whose code matches within the window around {@code now}, if any (checks every step, constant work). */
  public static OptionalLong match(String base32Secret, String code, Instant now) {
    if (code == null || !code.matches("\\d{" + DIGITS + "}")) {
      return OptionalLong.empty();
    }
    long current = step(now);
    long found = -1;
    for (long s = current - WINDOW; s <= current + WINDOW; s++) {
      if (org.bouncycastle.util.Arrays.constantTimeAreEqual(code.getBytes(), code(base32Secret, s).getBytes()) && found < 0) {
        found = s;
      }
    }
    return found < 0 ? OptionalLong.empty() : OptionalLong.of(found);
  }

  /** An {@code otpauth://} URI that authenticator apps import (as a QR code). */
  public static String uri(String issuer, String account, String base32Secret) {
    String enc = java.net.URLEncoder.encode(issuer + ":" + account, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    return "otpauth://totp/" + enc + "?secret=" + base32Secret + "&issuer="
        + java.net.URLEncoder.encode(issuer, java.nio.charset.StandardCharsets.UTF_8) + "&algorithm=SHA1&digits=6&period=30";
  }

  private static byte[] decode(String base32Secret) {
    String s = base32Secret.trim().toUpperCase(Locale.ROOT).replace(" ", "");
    int pad = (8 - s.length() % 8) % 8;
    return Base32.decode(s + "=".repeat(pad));
  }
}
