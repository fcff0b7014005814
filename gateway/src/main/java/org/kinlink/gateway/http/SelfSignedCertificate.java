package org.kinlink.gateway.http;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed TLS certificate for {@code serve} when the operator configured none: generated
 * once with Bouncy Castle (EC P-256, one year) and kept in the data directory so clients can pin it.
 */
public final class SelfSignedCertificate {
  private SelfSignedCertificate() {}

  /** PEM files of one certificate and its key. */
  public record PemFiles(Path certificate, Path privateKey) {}

  /**
   * Returns the certificate in {@code dir/tls}, creating it on first use, or again when the files
   * there are not a matching pair (a start interrupted between the two writes). Called once per
   * process before any verticle starts, so event loops never race to make it.
   */
  public static synchronized PemFiles ensure(Path dataDir, String hostName) {
    Path dir = dataDir.resolve("tls");
    Path cert = dir.resolve("gateway.crt");
    Path key = dir.resolve("gateway.key");
    if (Files.isReadable(cert) && Files.isReadable(key)) {
      if (matches(cert, key)) {
        return new PemFiles(cert, key);
      }
      // fall through: make a new pair
    }
    try {
      Files.createDirectories(dir);
      try {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = gen.generateKeyPair();
      X500Name subject = new X500Name("CN=" + hostName + ",O=Kinlink gateway (self-signed)");
      Instant now = Instant.now();
      var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(365))), subject, pair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, hostName),
          new GeneralName(GeneralName.dNSName, "localhost"),
          new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
      X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      writePem(key, pair.getPrivate(), true);
      writePem(cert, holder, false);
      return new PemFiles(cert, key);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot create a self-signed certificate in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** True when the key signs what the certificate's public key verifies. */
  public static boolean matches(Path cert, Path key) {
    try (var certIn = new org.bouncycastle.openssl.PEMParser(Files.newBufferedReader(cert));
        var keyIn = new org.bouncycastle.openssl.PEMParser(Files.newBufferedReader(key))) {
      Object c = certIn.readObject();
      Object k = keyIn.readObject();
      if (!(c instanceof X509CertificateHolder holder) || !(k instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info)) {
        return false;
      }
      java.security.PrivateKey privateKey = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().getPrivateKey(info);
      java.security.PublicKey publicKey = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder).getPublicKey();
      byte[] probe = "kinlink tls pair".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static void writePem(Path path, Object object, boolean secret) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(object instanceof java.security.PrivateKey pk
          ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pk, null).generate() : object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Path tmp = Files.createTempFile(path.getParent(), path.getFileName().toString(), ".tmp");
      if (secret) {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
          // not a POSIX file system
        }
      }
      Files.writeString(tmp, out.toString());
      Files.move(tmp, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
