package org.kinlink.gateway.crypto;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.util.Arrays;

/**
 * Argon2id hashing of PINs and passwords with Bouncy Castle, stored in the PHC string format
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}) so the parameters and salt travel with the hash
 * and old hashes still verify after the defaults change.
 *
 * <p>Defaults follow the OWASP Password Storage Cheat Sheet's first Argon2id option: 19 MiB of
 * memory, 2 iterations, 1 lane; 16-byte random salt, 32-byte output. Hashing is deliberately slow
 * and memory-hard, so the async methods run it on a worker thread, never on an event loop.
 */
public final class SecretHasher {
  /** Memory in KiB (19 MiB). */
  public static final int MEMORY_KIB = 19 * 1024;
  public static final int ITERATIONS = 2;
  public static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Pattern PHC = Pattern.compile(
      "^\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)$");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final SecureRandom random = new SecureRandom();
  /** A real hash of a random secret: verified against when an account does not exist, so timing is the same. */
  private final String dummy;

  public SecretHasher() {
    byte[] r = new byte[16];
    random.nextBytes(r);
    this.dummy = hashNow(B64.encodeToString(r));
  }

  /** Hashes on a worker thread. */
  public Future<String> hash(Vertx vertx, String secret) {
    return vertx.executeBlocking(() -> hashNow(secret), false);
  }

  /** Verifies on a worker thread; a null {@code encoded} (no such account) checks a dummy hash and answers false. */
  public Future<Boolean> verify(Vertx vertx, String encoded, String secret) {
    return vertx.executeBlocking(() -> {
      if (encoded == null) {
        verifyNow(dummy, secret);
        return false;
      }
      return verifyNow(encoded, secret);
    }, false);
  }

  /** Hashes on the calling thread (blocking: workers and the CLI only). */
  public String hashNow(String secret) {
    return hashNow(secret, MEMORY_KIB, ITERATIONS);
  }

  /**
   * Hashes with other cost parameters (they travel in the hash, so {@link #verifyNow} checks them
   * alike). For fixtures made by the thousand, such as the messages bench's, never for accounts.
   */
  public String hashNow(String secret, int memoryKib, int iterations) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] out = derive(secret, salt, memoryKib, iterations, PARALLELISM, HASH_BYTES);
    return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + PARALLELISM + "$"
        + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
  }

  /** Verifies on the calling thread, comparing in constant time; a malformed hash never matches. */
  public boolean verifyNow(String encoded, String secret) {
    Matcher m = PHC.matcher(encoded);
    if (!m.matches()) {
      return false;
    }
    int memory = Integer.parseInt(m.group(1));
    int iterations = Integer.parseInt(m.group(2));
    int parallelism = Integer.parseInt(m.group(3));
    if (memory < 8 * parallelism || iterations < 1 || parallelism < 1 || memory > 4 * 1024 * 1024) {
      return false;
    }
    byte[] salt = B64D.decode(m.group(4));
    byte[] expected = B64D.decode(m.group(5));
    byte[] actual = derive(secret, salt, memory, iterations, parallelism, expected.length);
    return Arrays.constantTimeAreEqual(expected, actual);
  }

  private static byte[] derive(String secret, byte[] salt, int memory, int iterations, int parallelism, int length) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memory)
        .withIterations(iterations)
        .withParallelism(parallelism)
        .withSalt(salt)
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[length];
    generator.generateBytes(secret.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
