package org.kinlink.gateway.calls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random bearer strings (join links, signalling tickets) and the digest they are stored under. */
final class Tokens {
  /** A signalling ticket starts with this, so the socket's auth frame can tell it from an access token. */
  static final String TICKET_PREFIX = "kct_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  static String random(String prefix) {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Only the digest is stored: whoever reads Redis cannot join with what they find there. */
  static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
