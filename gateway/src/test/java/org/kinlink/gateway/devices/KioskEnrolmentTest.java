package org.kinlink.gateway.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;
import static org.kinlink.gateway.auth.AuthFixture.post;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestKiosk;

/** An admin registers a kiosk, the kiosk enrols its own key with the one-time code, and signs in with it. */
class KioskEnrolmentTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  // for each test, its own establishment and another one, both on node 0
  final Gateway gateway = kinlink.gateway();
  final AuthFixture fx = kinlink.establishment();
  final AuthFixture other = kinlink.establishment();

  private static HttpResponse<Buffer> enrol(WebClient client, JsonObject body) {
    return post(client, "/api/v1/devices/enrol", body);
  }

  @Test
  void aRegisteredKioskEnrolsItsKeyOnceWithItsCodeAndThenSignsIn(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String admin = fx.staffToken(client, Role.ADMIN);
    String id = "kiosk-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<Buffer> created = post(client, "/api/v1/devices", admin, new JsonObject().put("id", id).put("location", "Wing C, cell 3"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject device = created.bodyAsJsonObject();
    assertEquals("AWAITING_KEY", device.getString("status"));
    String code = device.getString("enrolment_code");
    assertTrue(code.matches("[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"), code);
    assertTrue(device.getString("enrolment_code_expires_at").compareTo(java.time.Instant.now().toString()) > 0);

    Prisoner p = fx.prisoner("2580");
    TestKiosk kiosk = TestKiosk.unenrolled(id);
    HttpResponse<Buffer> before = kiosk.signIn(client, p.prisonNumber(), "2580");
    assertEquals("DEVICE_NOT_ENROLLED", errorCode(before), "no key yet: no sign-in");

    HttpResponse<Buffer> wrong = enrol(client, kiosk.enrolmentBody("AAAA-BBBB-CCCC"));
    assertEquals(401, wrong.statusCode(), wrong.bodyAsString());
    assertEquals("INVALID_ENROLMENT_CODE", errorCode(wrong));
    assertEquals("enrolment_code", wrong.bodyAsJsonObject().getJsonObject("error").getString("field"));

    // typed by hand: lower case, without dashes
    HttpResponse<Buffer> ok = enrol(client, kiosk.enrolmentBody(code.replace("-", "").toLowerCase()));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals("ENROLLED", ok.bodyAsJsonObject().getString("status"));
    assertFalse(ok.bodyAsString().contains(kiosk.publicKeySpki()), "the key itself is not shown, only its id");
    assertEquals(200, kiosk.signIn(client, p.prisonNumber(), "2580").statusCode());

    // the code worked once: nobody can replace the key with it
    TestKiosk thief = TestKiosk.unenrolled("thief-" + id);
    HttpResponse<Buffer> again = enrol(client, new JsonObject().put("device_id", id).put("enrolment_code", code).put("public_key", thief.publicKeySpki()));
    assertEquals("INVALID_ENROLMENT_CODE", errorCode(again));
    assertEquals(200, kiosk.signIn(client, p.prisonNumber(), "2580").statusCode());

    String audit = fx.audit().toString();
    assertFalse(audit.contains(code) || audit.contains(code.replace("-", "")), "the code never reaches the log");
    assertTrue(fx.audit("device.key_enrolled").stream().anyMatch(e -> "OK".equals(e.getString("outcome"))
        && ok.bodyAsJsonObject().getString("key_id").equals(e.getJsonObject("details").getString("key_id"))));
    assertTrue(fx.audit("device.key_enrolled").stream().anyMatch(e -> "BAD_CODE".equals(e.getJsonObject("details").getString("reason"))));
  }

  @Test
  void withdrawingForgetsTheKeyAndANewCodeEnrolsANewOne(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String admin = fx.staffToken(client, Role.ADMIN);
    Prisoner p = fx.prisoner("1357");
    TestKiosk old = fx.kiosk(true);
    assertEquals(200, old.signIn(client, p.prisonNumber(), "1357").statusCode());

    HttpResponse<Buffer> withdrawn = Gateway.await(client.patch("/api/v1/devices/" + old.deviceId())
        .putHeader("Authorization", "Bearer " + admin).sendJsonObject(new JsonObject().put("enrolled", false)));
    assertEquals(200, withdrawn.statusCode(), withdrawn.bodyAsString());
    assertEquals("WITHDRAWN", withdrawn.bodyAsJsonObject().getString("status"));
    assertEquals("DEVICE_NOT_ENROLLED", errorCode(old.signIn(client, p.prisonNumber(), "1357")));

    HttpResponse<Buffer> code = post(client, "/api/v1/devices/" + old.deviceId() + "/enrolment-code", admin, new JsonObject());
    assertEquals(200, code.statusCode(), code.bodyAsString());
    TestKiosk renewed = TestKiosk.unenrolled(old.deviceId());
    HttpResponse<Buffer> ok = enrol(client, renewed.enrolmentBody(code.bodyAsJsonObject().getString("enrolment_code")));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals(200, renewed.signIn(client, p.prisonNumber(), "1357").statusCode());

    // the other establishment's admin: the device does not exist for her
    String theirAdmin = other.staffToken(client, Role.ADMIN);
    HttpResponse<Buffer> theirs = post(client, "/api/v1/devices/" + old.deviceId() + "/enrolment-code", theirAdmin, new JsonObject());
    assertEquals(404, theirs.statusCode(), theirs.bodyAsString());
    // and an officer may not issue codes
    HttpResponse<Buffer> officer = post(client, "/api/v1/devices/" + old.deviceId() + "/enrolment-code", fx.staffToken(client, Role.OFFICER),
        new JsonObject());
    assertEquals(403, officer.statusCode());
  }

  @Test
  void aCodeNotUsedWithinItsHourNoLongerWorks(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String admin = fx.staffToken(client, Role.ADMIN);
    String id = "kiosk-" + UUID.randomUUID().toString().substring(0, 8);
    String code = post(client, "/api/v1/devices", admin, new JsonObject().put("id", id).put("location", "Wing E"))
        .bodyAsJsonObject().getString("enrolment_code");
    kinlink.clock().advance(DeviceEnrolment.codeLifetime().plusSeconds(1));
    HttpResponse<Buffer> late = enrol(client, TestKiosk.unenrolled(id).enrolmentBody(code));
    assertEquals(401, late.statusCode(), late.bodyAsString());
    assertEquals("INVALID_ENROLMENT_CODE", errorCode(late));
  }

  @Test
  void outsideTheDemoThereAreNoDemoKioskKeysToHave(Vertx vertx) {
    HttpResponse<Buffer> r = AuthFixture.get(AuthFixture.client(vertx, gateway), "/api/v1/demo/kiosks", null);
    assertEquals(404, r.statusCode(), r.bodyAsString());
    assertFalse(r.bodyAsString().contains("private_key"));
  }

  @Test
  void onlyAP256PublicKeyIsAccepted(Vertx vertx) throws Exception {
    WebClient client = AuthFixture.client(vertx, gateway);
    String admin = fx.staffToken(client, Role.ADMIN);
    String id = "kiosk-" + UUID.randomUUID().toString().substring(0, 8);
    String code = post(client, "/api/v1/devices", admin, new JsonObject().put("id", id).put("location", "Wing D"))
        .bodyAsJsonObject().getString("enrolment_code");
    KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
    p384.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    for (String key : new String[] {
        Base64.getEncoder().encodeToString(p384.generateKeyPair().getPublic().getEncoded()),
        Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded()),
        "bm90IGEga2V5", "%%%"}) {
      HttpResponse<Buffer> r = enrol(client, new JsonObject().put("device_id", id).put("enrolment_code", code).put("public_key", key));
      assertEquals(400, r.statusCode(), r.bodyAsString());
      assertEquals("INVALID_PUBLIC_KEY", errorCode(r));
      assertEquals("public_key", r.bodyAsJsonObject().getJsonObject("error").getString("field"));
    }
    // the refusals did not use the code up
    TestKiosk kiosk = TestKiosk.unenrolled(id);
    HttpResponse<Buffer> ok = enrol(client, kiosk.enrolmentBody(code));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertNotEquals(null, ok.bodyAsJsonObject().getString("key_id"));
  }
}
