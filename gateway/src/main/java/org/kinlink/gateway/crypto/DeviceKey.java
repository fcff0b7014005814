package org.kinlink.gateway.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * A kiosk's ECDSA P-256 public key and the checks made with it (Bouncy Castle). The browser makes
 * the key pair with WebCrypto and sends the public key as SPKI (DER, base64); it signs with
 * SHA-256 and WebCrypto's raw {@code r||s} form (IEEE P1363, 64 bytes), which is what is verified
 * here. Only P-256 is accepted: one curve means one thing to get right.
 */
public final class DeviceKey {
  private final ECPublicKeyParameters key;
  private final String spkiBase64;

  private DeviceKey(ECPublicKeyParameters key, String spkiBase64) {
    this.key = key;
    this.spkiBase64 = spkiBase64;
  }

  /**
   * Parses an SPKI (base64, standard or URL alphabet) that must be an EC key on P-256.
   *
   * @throws IllegalArgumentException with a message for the person enrolling, when it is not one
   */
  public static DeviceKey parse(String spkiBase64) {
    byte[] der;
    try {
      der = decodeBase64(spkiBase64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The public key is not valid base64.");
    }
    SubjectPublicKeyInfo spki;
    try {
      spki = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("The public key is not an SPKI (SubjectPublicKeyInfo) structure.");
    }
    AlgorithmIdentifier alg = spki.getAlgorithm();
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm()) || alg.getParameters() == null
        || !SECObjectIdentifiers.secp256r1.equals(alg.getParameters().toASN1Primitive())) {
      throw new IllegalArgumentException("The public key must be an ECDSA key on the P-256 curve.");
    }
    try {
      // decoding the point checks that it lies on the curve
      ECPublicKeyParameters key = (ECPublicKeyParameters) PublicKeyFactory.createKey(spki);
      return new DeviceKey(key, Base64.getEncoder().encodeToString(der));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("The public key's point is not on the P-256 curve.");
    }
  }

  /** The key in the form it is stored (SPKI DER, standard base64). */
  public String spkiBase64() {
    return spkiBase64;
  }

  /** 16 hex digits of SHA-256 of the SPKI: names the key in the audit log and to staff. */
  public String keyId() {
    return keyIdOf(spkiBase64);
  }

  /** The key id of a stored SPKI. */
  public static String keyIdOf(String spkiBase64) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(decodeBase64(spkiBase64)), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when {@code signature} (raw r||s, base64url) is this key's ECDSA/SHA-256 signature of the UTF-8 {@code message}. */
  public boolean verify(String message, String signatureBase64Url) {
    byte[] sig;
    try {
      sig = Base64.getUrlDecoder().decode(signatureBase64Url);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (sig.length != 64) {
      return false;
    }
    DSADigestSigner verifier = new DSADigestSigner(new ECDSASigner(), SHA256Digest.newInstance(), PlainDSAEncoding.INSTANCE);
    verifier.init(false, key);
    byte[] m = message.getBytes(StandardCharsets.UTF_8);
    verifier.update(m, 0, m.length);
    return verifier.verifySignature(sig);
  }

  /** A new P-256 key pair (the demo's kiosks; real kiosks make theirs in the browser). */
  public static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The PKCS#8 DER of a P-256 private key with its public key inside (the JDK leaves it out, and
   * some browsers' WebCrypto refuse to import an EC key without it).
   */
  public static byte[] pkcs8WithPublicKey(java.security.PrivateKey privateKey) {
    try {
      return PrivateKeyInfoFactory.createPrivateKeyInfo(PrivateKeyFactory.createKey(privateKey.getEncoded())).getEncoded();
    } catch (IOException e) {
      throw new IllegalArgumentException("not a PKCS#8 private key", e);
    }
  }

  /** PKCS#8 DER in a PEM "PRIVATE KEY" block. */
  public static String pkcs8Pem(byte[] pkcs8) {
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** The PKCS#8 DER inside a PEM "PRIVATE KEY" block. */
  public static byte[] pkcs8FromPem(String pem) {
    String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  /** The P-256 key pair of a PKCS#8 private key (the public key is recomputed from it). */
  public static KeyPair fromPkcs8(byte[] pkcs8) {
    try {
      ECPrivateKey priv = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      // the public point is d·G on P-256 (PKCS#8 may leave the public key out)
      X9ECParameters p256 = SECNamedCurves.getByOID(SECObjectIdentifiers.secp256r1);
      org.bouncycastle.math.ec.ECPoint q = p256.getG().multiply(priv.getS()).normalize();
      ECPublicKeySpec spec = new ECPublicKeySpec(new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
          priv.getParams());
      return new KeyPair(KeyFactory.getInstance("EC").generatePublic(spec), priv);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("not a PKCS#8 P-256 private key", e);
    }
  }

  private static byte[] decodeBase64(String s) {
    String t = s.trim();
    return t.indexOf('-') >= 0 || t.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(t) : Base64.getDecoder().decode(t);
  }
}
