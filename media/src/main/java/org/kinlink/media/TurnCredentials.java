package org.kinlink.media;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived TURN credentials in coturn's shared-secret scheme ({@code use-auth-secret} with
 * {@code static-auth-secret}): {@code username = <expiry unix seconds>:<id>},
 * {@code credential = base64(HMAC-SHA1(secret, username))}. coturn recomputes the HMAC and refuses
 * a username whose expiry has passed, so nothing is stored per credential.
 */
public final class TurnCredentials {
  public record Credential(String username, String credential, Instant expires) {}

  private final byte[] secret;
  private final Duration life;

  public TurnCredentials(String secret, Duration life) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("a TURN shared secret is needed");
    }
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.life = life;
  }

  /** Credentials for {@code id} valid from {@code now} for this minter's life. */
  public Credential mint(String id, Instant now) {
    Instant expires = now.plus(life);
    String username = expires.getEpochSecond() + ":" + id;
    return new Credential(username, sign(secret, username), expires);
  }

  /** The credential coturn expects for {@code username}. */
  public static String sign(byte[] secret, String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA1 is not available", e);
    }
  }
}
