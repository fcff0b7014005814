package org.kinlink.gateway.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-256-GCM (Bouncy Castle) with a fresh random 96-bit nonce per seal and a 128-bit tag.
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
    GCMModeCipher gcm = cipher(true, key, nonce, aad);
    byte[] out = new byte[HEADER_BYTES + gcm.getOutputSize(plaintext.length)];
    out[0] = VERSION;
    System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
    int n = gcm.processBytes(plaintext, 0, plaintext.length, out, HEADER_BYTES);
    try {
      gcm.doFinal(out, HEADER_BYTES + n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    return out;
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
    GCMModeCipher gcm = cipher(false, key, nonce, aad);
    int bodyLength = sealed.length - HEADER_BYTES;
    byte[] out = new byte[gcm.getOutputSize(bodyLength)];
    int n = gcm.processBytes(sealed, HEADER_BYTES, bodyLength, out, 0);
    try {
      gcm.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      Arrays.fill(out, (byte) 0);
      throw new AeadException("the sealed value failed authentication: altered, or another key or context", e);
    }
    return out;
  }

  private static GCMModeCipher cipher(boolean encrypt, byte[] key, byte[] nonce, byte[] aad) {
    GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BYTES * 8, nonce, aad == null ? new byte[0] : aad));
    return gcm;
  }

  private static void checkKey(byte[] key) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("an AES-256 key is " + KEY_BYTES + " bytes");
    }
  }
}
