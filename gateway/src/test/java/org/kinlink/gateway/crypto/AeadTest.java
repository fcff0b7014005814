package org.kinlink.gateway.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AeadTest {
  private static final byte[] AAD = "totp:st-1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SECRET = "JBSWY3DPEHPK3PXP".getBytes(StandardCharsets.UTF_8);

  @Test
  void aSealedValueOpensWithTheSameKeyAndAadAndLooksNothingLikeThePlaintext() {
    byte[] key = Aead.newKey();
    byte[] sealed = Aead.seal(key, SECRET, AAD);
    assertEquals(1 + Aead.NONCE_BYTES + SECRET.length + Aead.TAG_BYTES, sealed.length);
    assertEquals(1, sealed[0]);
    assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("JBSWY3DP"));
    assertArrayEquals(SECRET, Aead.open(key, sealed, AAD));
    assertArrayEquals(new byte[0], Aead.open(key, Aead.seal(key, new byte[0], new byte[0]), new byte[0]));
  }

  /** Values stored before sealing moved to the JDK's AES-GCM (Bouncy Castle's software GCM) still open, and the other way. */
  @Test
  void valuesSealedWithTheEarlierSoftwareGcmStillOpen() throws Exception {
    byte[] key = Aead.newKey();
    byte[] nonce = new byte[Aead.NONCE_BYTES];
    new java.security.SecureRandom().nextBytes(nonce);
    var gcm = org.bouncycastle.crypto.modes.GCMBlockCipher.newInstance(org.bouncycastle.crypto.engines.AESEngine.newInstance());
    gcm.init(true, new org.bouncycastle.crypto.params.AEADParameters(new org.bouncycastle.crypto.params.KeyParameter(key), 128, nonce, AAD));
    byte[] earlier = new byte[1 + Aead.NONCE_BYTES + gcm.getOutputSize(SECRET.length)];
    earlier[0] = 1;
    System.arraycopy(nonce, 0, earlier, 1, Aead.NONCE_BYTES);
    int n = gcm.processBytes(SECRET, 0, SECRET.length, earlier, 1 + Aead.NONCE_BYTES);
    gcm.doFinal(earlier, 1 + Aead.NONCE_BYTES + n);
    assertArrayEquals(SECRET, Aead.open(key, earlier, AAD));

    byte[] sealed = Aead.seal(key, SECRET, AAD);
    var back = org.bouncycastle.crypto.modes.GCMBlockCipher.newInstance(org.bouncycastle.crypto.engines.AESEngine.newInstance());
    back.init(false, new org.bouncycastle.crypto.params.AEADParameters(new org.bouncycastle.crypto.params.KeyParameter(key), 128,
        Arrays.copyOfRange(sealed, 1, 1 + Aead.NONCE_BYTES), AAD));
    byte[] plain = new byte[back.getOutputSize(sealed.length - 1 - Aead.NONCE_BYTES)];
    int m = back.processBytes(sealed, 1 + Aead.NONCE_BYTES, sealed.length - 1 - Aead.NONCE_BYTES, plain, 0);
    back.doFinal(plain, m);
    assertArrayEquals(SECRET, plain);
  }

  @Test
  void sealingTwiceUsesAFreshNonce() {
    byte[] key = Aead.newKey();
    byte[] a = Aead.seal(key, SECRET, AAD);
    byte[] b = Aead.seal(key, SECRET, AAD);
    assertFalse(Arrays.equals(Arrays.copyOfRange(a, 1, 13), Arrays.copyOfRange(b, 1, 13)));
    assertFalse(Arrays.equals(a, b));
  }

  @Test
  void flippingAnyBitIsDetected() {
    byte[] key = Aead.newKey();
    byte[] sealed = Aead.seal(key, SECRET, AAD);
    for (int i = 0; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      assertThrows(AeadException.class, () -> Aead.open(key, tampered, AAD), "byte " + i);
    }
    assertThrows(AeadException.class, () -> Aead.open(key, Arrays.copyOf(sealed, sealed.length - 1), AAD));
    assertThrows(AeadException.class, () -> Aead.open(key, new byte[5], AAD));
  }

  @Test
  void anotherAadOrKeyIsRefused() {
    byte[] key = Aead.newKey();
    byte[] sealed = Aead.seal(key, SECRET, AAD);
    AeadException wrongAad = assertThrows(AeadException.class,
        () -> Aead.open(key, sealed, "totp:st-2".getBytes(StandardCharsets.UTF_8)));
    assertEquals("the sealed value failed authentication: altered, or another key or context", wrongAad.getMessage());
    assertThrows(AeadException.class, () -> Aead.open(Aead.newKey(), sealed, AAD));
    assertThrows(IllegalArgumentException.class, () -> Aead.seal(new byte[16], SECRET, AAD));
  }
}
