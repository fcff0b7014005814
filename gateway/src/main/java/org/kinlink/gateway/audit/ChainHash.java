package org.kinlink.gateway.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The link function of the audit chain: {@code hash = SHA-256(prevHash || canonical)}. */
public final class ChainHash {
  /** The {@code prevHash} of entry 1: 32 zero bytes, as 64 hex zeros. */
  public static final String GENESIS = "0".repeat(64);

  private ChainHash() {}

  /**
   * SHA-256 over the 32 raw bytes of {@code prevHashHex} followed by the canonical UTF-8 bytes;
   * lower-case hex. A malformed {@code prevHashHex} (as in a tampered entry) is hashed as its
   * UTF-8 text so it simply fails to match, rather than throwing.
   */
  public static String of(String prevHashHex, byte[] canonical) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    sha.update(prevBytes(prevHashHex));
    sha.update(canonical);
    return HexFormat.of().formatHex(sha.digest());
  }

  private static byte[] prevBytes(String hex) {
    if (hex != null && hex.length() == 64) {
      try {
        return HexFormat.of().parseHex(hex);
      } catch (IllegalArgumentException notHex) {
        // fall through
      }
    }
    return String.valueOf(hex).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
