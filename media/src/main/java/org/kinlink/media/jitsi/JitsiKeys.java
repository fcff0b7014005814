package org.kinlink.media.jitsi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One RS256 key pair and its key id. Prosody fetches the public half from the gateway as
 * {@code <lowercase hex sha256(kid)>.pem} and caches it per kid forever, so a key is rotated by
 * changing its kid, never by replacing the key under the same kid.
 *
 * <p>The private key is generated once and kept as a PKCS#8 PEM file readable only by the gateway's
 * user (0600), so every restart and every node that shares the data dir signs with the same key.
 */
public final class JitsiKeys {
  private final String kid;
  private final KeyPair pair;

  private JitsiKeys(String kid, KeyPair pair) {
    this.kid = kid;
    this.pair = pair;
  }

  /** Loads {@code <dir>/<name>.key}, generating it first (2048-bit RSA, mode 0600) if there is none. */
  public static JitsiKeys loadOrCreate(Path dir, String name, String kid) throws IOException {
    Path file = dir.resolve(name + ".key");
    if (!Files.exists(file)) {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, name, ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system: the directory's own permissions protect it
      }
      Files.writeString(tmp, pem("PRIVATE KEY", generate().getPrivate().getEncoded()));
      // atomic, so two nodes starting together never read half a key; the loser's key is discarded
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException raced) {
        Files.deleteIfExists(tmp);
      }
    }
    return fromPem(kid, Files.readString(file, StandardCharsets.US_ASCII));
  }

  /** A key pair from a PKCS#8 private key PEM (as configuration may give it). */
  public static JitsiKeys fromPem(String kid, String privatePem) {
    try {
      byte[] der = Base64.getMimeDecoder().decode(privatePem.replaceAll("-----[A-Z ]+-----", ""));
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      RSAPrivateCrtKey priv = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
      var pub = rsa.generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
      return new JitsiKeys(kid, new KeyPair(pub, priv));
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException("the Jitsi key for kid " + kid + " is not an RSA PKCS#8 PEM private key", e);
    }
  }

  /** A fresh key pair held only in memory (tests, and a forger's key in them). */
  public static JitsiKeys generate(String kid) {
    return new JitsiKeys(kid, generate());
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is not available", e);
    }
  }

  public String kid() {
    return kid;
  }

  /** The file name prosody asks for: {@code <lowercase hex sha256(kid)>.pem}. */
  public String publicFileName() {
    return fileNameOf(kid);
  }

  public static String fileNameOf(String kid) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(kid.getBytes(StandardCharsets.UTF_8))) + ".pem";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  public String publicPem() {
    return pem("PUBLIC KEY", pair.getPublic().getEncoded());
  }

  String privatePem() {
    return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
