package org.kinlink.gateway.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM (12-byte random nonce, 128-bit tag, nonce prepended) with a master key kept in the
 * data dir ({@code messaging/master.key}, base64, mode 0600) or given as {@code KINLINK_MASTER_KEY}.
 */
final class LocalCrypto implements ConversationKeys.Crypto {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] master;
  private final String keyId;

  private LocalCrypto(byte[] master) {
    this.master = master;
    try {
      this.keyId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(master)).substring(0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static LocalCrypto loadOrCreate(Path dataDir, Optional<String> base64FromEnv) {
    if (base64FromEnv.isPresent() && !base64FromEnv.get().isBlank()) {
      return new LocalCrypto(checked(Base64.getDecoder().decode(base64FromEnv.get().trim())));
    }
    Path file = dataDir.resolve("messaging").resolve("master.key");
    try {
      if (Files.exists(file)) {
        return new LocalCrypto(checked(Base64.getDecoder().decode(Files.readString(file).trim())));
      }
      Files.createDirectories(file.getParent());
      byte[] key = new byte[32];
      RANDOM.nextBytes(key);
      Path tmp = file.resolveSibling("master.key.tmp");
      Files.writeString(tmp, Base64.getEncoder().encodeToString(key), StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return new LocalCrypto(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] checked(byte[] key) {
    if (key.length != 32) {
      throw new IllegalStateException("the master key must be 32 bytes (base64)");
    }
    return key;
  }

  @Override
  public String masterKeyId() {
    return keyId;
  }

  @Override
  public byte[] newDataKey() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return k;
  }

  @Override
  public byte[] wrap(byte[] dataKey, byte[] aad) {
    return seal(master, dataKey, aad);
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] aad) {
    return open(master, wrapped, aad);
  }

  @Override
  public byte[] seal(byte[] key, byte[] plaintext, byte[] aad) {
    try {
      byte[] nonce = new byte[12];
      RANDOM.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(aad);
      byte[] ct = c.doFinal(plaintext);
      return ByteBuffer.allocate(nonce.length + ct.length).put(nonce).put(ct).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed", e);
    }
  }

  @Override
  public byte[] open(byte[] key, byte[] sealed, byte[] aad) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
      c.updateAAD(aad);
      return c.doFinal(sealed, 12, sealed.length - 12);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a sealed value did not open (altered, or another key)", e);
    }
  }
}
