package org.kinlink.gateway.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM (the JDK's, on AES-NI) with a fresh random 96-bit nonce per seal and a 128-bit tag.
 *
 * <p>Sealed form: {@code 0x01 || nonce (12 bytes) || ciphertext || tag (16 bytes)}. The leading
 * version byte lets a later format (another cipher, a longer nonce) be read beside this one. Random
 * nonces are safe here because one key seals far fewer than 2^32 values (a data key per purpose).
 */
public final class Aead {
  public static final int KEY_BYTES = 32;
  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;
  static final byte VERSION = 1;
  private static final int HEADER_BYTES = 1 + NONCE_BYTES;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Aead() {}

  /** A new random 256-bit key. */
  public static byte[] newKey() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return key;
  }

  /** Encrypts and authenticates {@code plaintext}, binding {@code aad} (may be empty, not null). */
  public static byte[] seal(byte[] key, byte[] plaintext, byte[] aad) {
    checkKey(key);
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher gcm = cipher(Cipher.ENCRYPT_MODE, key, nonce, aad);
      byte[] out = new byte[HEADER_BYTES + gcm.getOutputSize(plaintext.length)];
      out[0] = VERSION;
      System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
      gcm.doFinal(plaintext, 0, plaintext.length, out, HEADER_BYTES);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * Checks and decrypts what {@link #seal} made with the same key and aad.
   *
   * @throws AeadException when anything was altered, the key or aad differ, or the form is unknown
   */
  public static byte[] open(byte[] key, byte[] sealed, byte[] aad) {
    checkKey(key);
    if (sealed == null || sealed.length < HEADER_BYTES + TAG_BYTES) {
      throw new AeadException("the sealed value is too short to be AES-GCM output");
    }
    if (sealed[0] != VERSION) {
      throw new AeadException("the sealed value has unknown format version " + (sealed[0] & 0xff));
    }
    byte[] nonce = Arrays.copyOfRange(sealed, 1, HEADER_BYTES);
    try {
      Cipher gcm = cipher(Cipher.DECRYPT_MODE, key, nonce, aad);
      return gcm.doFinal(sealed, HEADER_BYTES, sealed.length - HEADER_BYTES);
    } catch (AEADBadTagException e) {
      throw new AeadException("the sealed value failed authentication: altered, or another key or context", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  /**
   * The JDK's AES-GCM, one instance per thread re-initialised for each value: it runs on the CPU's
   * AES and carry-less multiply instructions, where a software GCM rebuilt its tables per call.
   * The sealed form is the same standard AES-GCM output either way.
   */
  private static Cipher cipher(int mode, byte[] key, byte[] nonce, byte[] aad) throws GeneralSecurityException {
    Cipher gcm = CIPHERS.get();
    gcm.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
    if (aad != null && aad.length > 0) {
      gcm.updateAAD(aad);
    }
    return gcm;
  }

  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no AES/GCM/NoPadding", e);
    }
  });

  private static void checkKey(byte[] key) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("an AES-256 key is " + KEY_BYTES + " bytes");
    }
  }
}
