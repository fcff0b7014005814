package org.kinlink.gateway.support;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.crypto.DeviceKey;
import org.kinlink.gateway.devices.DemoKiosks;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.KioskDevice;

/**
 * A kiosk as tests see it: a device id and a P-256 key pair, doing the real device proof the way
 * the browser does (challenge, ECDSA P-256/SHA-256 over the nonce, raw r||s, base64url) with the
 * JDK's own ECDSA, so the gateway's Bouncy Castle check is tested against an independent signer.
 *
 * <p>Kiosks made here are remembered by device id, so a helper that is given only an id (such as
 * {@code AuthFixture.kiosk}) signs with the right key; an id never enrolled here signs with a key
 * the gateway does not know.
 */
public final class TestKiosk {
  private static final Map<String, TestKiosk> BY_ID = new ConcurrentHashMap<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String deviceId;
  private final KeyPair keys;

  private TestKiosk(String deviceId, KeyPair keys) {
    this.deviceId = deviceId;
    this.keys = keys;
  }

  /** A new kiosk of {@code establishment}, registered straight in the directory with its public key (enrolled) or withdrawn. */
  public static TestKiosk create(Directory directory, String establishment, String location, boolean enrolled) {
    TestKiosk k = new TestKiosk("kiosk-" + UUID.randomUUID().toString().substring(0, 8), DeviceKey.generate());
    KioskDevice d = new KioskDevice(k.deviceId, establishment, location, enrolled, enrolled ? k.publicKeySpki() : null);
    Gateway.await(directory.createDevice(d));
    BY_ID.put(k.deviceId, k);
    return k;
  }

  /** A key pair for a device id that enrols itself through the API ({@link #enrolmentBody}). */
  public static TestKiosk unenrolled(String deviceId) {
    TestKiosk k = new TestKiosk(deviceId, DeviceKey.generate());
    BY_ID.put(deviceId, k);
    return k;
  }

  /** One of the demo's kiosks, with the private key the demo wrote to its data dir. */
  public static TestKiosk demo(Gateway gateway, String deviceId) {
    DemoKiosks demo = gateway.services().demoKiosks().orElseThrow(() -> new IllegalStateException("the gateway is not in demo mode"));
    try {
      String pem = Files.readString(demo.keyFile(deviceId), StandardCharsets.US_ASCII);
      return new TestKiosk(deviceId, DeviceKey.fromPkcs8(DeviceKey.pkcs8FromPem(pem)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The kiosk made here for this id, or one with a key nobody enrolled. */
  public static TestKiosk forDevice(String deviceId) {
    return BY_ID.computeIfAbsent(deviceId, id -> new TestKiosk(id, DeviceKey.generate()));
  }

  public String deviceId() {
    return deviceId;
  }

  /** The public key as the kiosk sends it to enrol (SPKI DER, base64). */
  public String publicKeySpki() {
    return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
  }

  /** The body of {@code POST /api/v1/devices/enrol}. */
  public JsonObject enrolmentBody(String code) {
    return new JsonObject().put("device_id", deviceId).put("enrolment_code", code).put("public_key", publicKeySpki());
  }

  /** ECDSA P-256 / SHA-256 over the UTF-8 string, raw r||s, base64url (what WebCrypto's sign gives). */
  public String sign(String nonce) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initSign(keys.getPrivate());
      s.update(nonce.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Asks for a challenge: the nonce, or empty when the gateway refused one. */
  public Optional<String> challenge(WebClient client) {
    HttpResponse<Buffer> r = Gateway.await(client.post("/api/v1/auth/kiosk/challenge")
        .sendJsonObject(new JsonObject().put("device_id", deviceId)));
    return r.statusCode() == 200 ? Optional.of(r.bodyAsJsonObject().getString("nonce")) : Optional.empty();
  }

  /**
   * The device-proof part of a sign-in body: a fresh challenge signed with this kiosk's key. When the
   * gateway gives no challenge (unknown or withdrawn device) a made-up nonce is signed, so the sign-in
   * itself is still sent and its answer can be checked.
   */
  public JsonObject proof(WebClient client) {
    String nonce = challenge(client).orElseGet(TestKiosk::madeUpNonce);
    return new JsonObject().put("device_id", deviceId).put("nonce", nonce).put("signature", sign(nonce));
  }

  /** {@code POST /api/v1/auth/kiosk} with a fresh proof. */
  public HttpResponse<Buffer> signIn(WebClient client, String prisonNumber, String pin) {
    return signIn(client, prisonNumber, pin, proof(client));
  }

  /** {@code POST /api/v1/auth/kiosk} with the given proof (tests that tamper with it). */
  public static HttpResponse<Buffer> signIn(WebClient client, String prisonNumber, String pin, JsonObject proof) {
    return Gateway.await(client.post("/api/v1/auth/kiosk")
        .sendJsonObject(proof.copy().put("prison_number", prisonNumber).put("pin", pin)));
  }

  /** The tokens of a sign-in that must succeed. */
  public JsonObject tokens(WebClient client, String prisonNumber, String pin) {
    HttpResponse<Buffer> r = signIn(client, prisonNumber, pin);
    if (r.statusCode() != 200) {
      throw new AssertionError("kiosk sign-in failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  private static String madeUpNonce() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
