package org.kinlink.gateway.crypto;

import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.kinlink.gateway.redis.Redis;

/**
 * Short secrets sealed at rest (TOTP secrets, and whatever else needs it): one data key per purpose,
 * made once by the first node, kept in Redis only wrapped by the {@link MasterKey}, and used with
 * {@link Aead}. Each value is sealed with a context (e.g. the account id) as associated data, so a
 * sealed value copied onto another record does not open there.
 *
 * <p>Sealed values are text: {@code sealed:v1:<base64>}. {@link #open} passes a value without that
 * prefix through unchanged, so values written before sealing existed keep working until they are
 * sealed ({@link #isSealed} finds them).
 */
public final class SecretBox {
  private static final String PREFIX = "sealed:v1:";

  private final String purpose;
  private final byte[] dataKey;

  private SecretBox(String purpose, byte[] dataKey) {
    this.purpose = purpose;
    this.dataKey = dataKey;
  }

  /** What a stored data key for {@code purpose} is bound to when wrapped (a key rotation re-wraps with it). */
  public static byte[] wrapAad(String purpose) {
    return ("kinlink data key: " + purpose).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The data key under {@code redisKey}, created (SET NX, so concurrent nodes agree) when there is
   * none. Fails when the stored key was wrapped by another master key: every node must have the same one.
   */
  public static Future<SecretBox> load(Redis redis, MasterKey master, String redisKey, String purpose) {
    byte[] aad = wrapAad(purpose);
    String fresh = Base64.getEncoder().encodeToString(master.wrap(Aead.newKey(), aad));
    return redis.call(c -> c.set(redisKey, fresh, SetArgs.Builder.nx()))
        .compose(x -> redis.<String>call(c -> c.get(redisKey)))
        .map(stored -> {
          try {
            return new SecretBox(purpose, master.unwrap(Base64.getDecoder().decode(stored), aad));
          } catch (AeadException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot open the " + purpose + " data key in Redis (" + redisKey + "): " + e.getMessage()
                + ". Every gateway node needs the same master key (" + MasterKey.ENV + " or <data-dir>/keys/master.key).", e);
          }
        });
  }

  /** True when {@code stored} is a sealed value (not plaintext from before sealing). */
  public static boolean isSealed(String stored) {
    return stored != null && stored.startsWith(PREFIX);
  }

  /** Seals {@code plaintext} bound to {@code context}; a value that is already sealed is kept as it is. */
  public String seal(String context, String plaintext) {
    if (plaintext == null || isSealed(plaintext)) {
      return plaintext;
    }
    return PREFIX + Base64.getEncoder().encodeToString(Aead.seal(dataKey, plaintext.getBytes(StandardCharsets.UTF_8), aad(context)));
  }

  /**
   * The plaintext of a sealed value (a value from before sealing is answered as it is).
   *
   * @throws AeadException when it was altered, sealed for another context, or under another key
   */
  public String open(String context, String stored) {
    if (!isSealed(stored)) {
      return stored;
    }
    byte[] sealed;
    try {
      sealed = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new AeadException("a sealed " + purpose + " value is not valid base64");
    }
    return new String(Aead.open(dataKey, sealed, aad(context)), StandardCharsets.UTF_8);
  }

  private byte[] aad(String context) {
    return (purpose + "\u0000" + context).getBytes(StandardCharsets.UTF_8);
  }
}
