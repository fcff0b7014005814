package org.kinlink.gateway.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.kinlink.gateway.crypto.SecretFile;

/**
 * A node's Ed25519 checkpoint-signing key (Bouncy Castle), generated once per data directory and
 * kept in {@code <data-dir>/audit/signing.key} (mode 0600) as the base64 of its 32-byte seed.
 * Its key id is the first 16 hex digits of SHA-256 over the raw 32-byte public key.
 */
public final class AuditSigningKey {
  private final Ed25519PrivateKeyParameters privateKey;
  private final Ed25519PublicKeyParameters publicKey;
  private final String keyId;

  private AuditSigningKey(Ed25519PrivateKeyParameters privateKey) {
    this.privateKey = privateKey;
    this.publicKey = privateKey.generatePublicKey();
    this.keyId = keyIdOf(publicKey.getEncoded());
  }

  /** Reads the key in {@code file}, creating it (and its directory) first if there is none. Blocking. */
  public static AuditSigningKey loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      byte[] seed = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
      if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
        throw new IllegalStateException("the audit signing key " + file + " is not a 32-byte Ed25519 seed");
      }
      return new AuditSigningKey(new Ed25519PrivateKeyParameters(seed, 0));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the audit signing key " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the audit signing key " + file + " is not valid base64", e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] seed = new Ed25519PrivateKeyParameters(new SecureRandom()).getEncoded();
    SecretFile.createOnce(file, (Base64.getEncoder().encodeToString(seed) + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** Short stable id of this key. */
  public String keyId() {
    return keyId;
  }

  /** The raw 32-byte public key, base64: what is published in Redis. */
  public String publicKeyBase64() {
    return Base64.getEncoder().encodeToString(publicKey.getEncoded());
  }

  /** Ed25519 signature over {@code message}. */
  public byte[] sign(byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** True when {@code signature} is a valid Ed25519 signature of {@code message} by the key; false for malformed input. */
  public static boolean verify(String publicKeyBase64, byte[] message, byte[] signature) {
    try {
      byte[] raw = Base64.getDecoder().decode(publicKeyBase64);
      if (raw.length != Ed25519PublicKeyParameters.KEY_SIZE || signature.length != Ed25519PrivateKeyParameters.SIGNATURE_SIZE) {
        return false;
      }
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, new Ed25519PublicKeyParameters(raw, 0));
      verifier.update(message, 0, message.length);
      return verifier.verifySignature(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The key id of a raw public key. */
  public static String keyIdOf(byte[] rawPublicKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(rawPublicKey);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
