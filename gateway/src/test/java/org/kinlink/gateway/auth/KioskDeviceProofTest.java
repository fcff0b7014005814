package org.kinlink.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestKiosk;

/** Issue 9 item 7: the device id is no longer the kiosk's credential; its enrolled key is. */
class KioskDeviceProofTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  // for each test, its own establishment and another one, both on node 0
  final Gateway gateway = kinlink.gateway();
  final AuthFixture fx = kinlink.establishment();
  final AuthFixture other = kinlink.establishment();

  private static void assertProofRefused(HttpResponse<Buffer> r) {
    assertEquals(401, r.statusCode(), r.bodyAsString());
    assertEquals("INVALID_DEVICE_PROOF", errorCode(r));
  }

  @Test
  void knowingTheDeviceIdIsNotEnoughWithoutItsKey(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    Prisoner p = fx.prisoner("2580");
    TestKiosk kiosk = fx.kiosk(true);
    // an attacker's machine: the right device id, prison number and PIN, its own key
    TestKiosk impostor = TestKiosk.unenrolled("impostor-of-" + kiosk.deviceId());
    String nonce = kiosk.challenge(client).orElseThrow();
    JsonObject forged = new JsonObject().put("device_id", kiosk.deviceId()).put("nonce", nonce).put("signature", impostor.sign(nonce));
    assertProofRefused(TestKiosk.signIn(client, p.prisonNumber(), "2580", forged));
    // a signature over something else, and one that is not a signature at all
    String nonce2 = kiosk.challenge(client).orElseThrow();
    assertProofRefused(TestKiosk.signIn(client, p.prisonNumber(), "2580",
        new JsonObject().put("device_id", kiosk.deviceId()).put("nonce", nonce2).put("signature", kiosk.sign(nonce2 + "x"))));
    String nonce3 = kiosk.challenge(client).orElseThrow();
    assertProofRefused(TestKiosk.signIn(client, p.prisonNumber(), "2580",
        new JsonObject().put("device_id", kiosk.deviceId()).put("nonce", nonce3).put("signature", "AAAA")));
    // a nonce the gateway never issued
    assertProofRefused(TestKiosk.signIn(client, p.prisonNumber(), "2580",
        new JsonObject().put("device_id", kiosk.deviceId()).put("nonce", "made-up").put("signature", kiosk.sign("made-up"))));

    assertEquals(200, kiosk.signIn(client, p.prisonNumber(), "2580").statusCode(), "the real kiosk signs in");
    List<JsonObject> refused = fx.audit("auth.kiosk").stream()
        .filter(e -> "BAD_DEVICE_PROOF".equals(e.getJsonObject("details").getString("reason"))
            && kiosk.deviceId().equals(e.getJsonObject("details").getString("device_id"))).toList();
    assertEquals(4, refused.size());
    assertTrue(refused.stream().allMatch(e -> e.getString("prisoner_id") == null), "a bad proof names nobody");
  }

  @Test
  void aNonceWorksOnceOnlyForItsDeviceAndNotAfterItExpires(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    Prisoner p = fx.prisoner("1357");
    TestKiosk kiosk = fx.kiosk(true);
    TestKiosk another = fx.kiosk(true);

    JsonObject proof = kiosk.proof(client);
    assertEquals(200, TestKiosk.signIn(client, p.prisonNumber(), "1357", proof).statusCode());
    assertProofRefused(TestKiosk.signIn(client, p.prisonNumber(), "1357", proof));

    // issued to one kiosk, signed and sent by another (with its own valid key)
    String nonce = kiosk.challenge(client).orElseThrow();
    assertProofRefused(TestKiosk.signIn(client, p.prisonNumber(), "1357",
        new JsonObject().put("device_id", another.deviceId()).put("nonce", nonce).put("signature", another.sign(nonce))));
    // that refusal used the nonce up: its own kiosk cannot use it either
    assertProofRefused(TestKiosk.signIn(client, p.prisonNumber(), "1357",
        new JsonObject().put("device_id", kiosk.deviceId()).put("nonce", nonce).put("signature", kiosk.sign(nonce))));

    JsonObject late = kiosk.proof(client);
    kinlink.clock().advance(KioskChallenges.TTL.plusSeconds(1));
    assertProofRefused(TestKiosk.signIn(client, p.prisonNumber(), "1357", late));
    assertTrue(fx.audit("auth.kiosk").stream().anyMatch(e -> "NONCE_EXPIRED".equals(e.getJsonObject("details").getString("proof"))
        && kiosk.deviceId().equals(e.getJsonObject("details").getString("device_id"))));
    JsonObject fresh = kiosk.proof(client);
    assertEquals(200, TestKiosk.signIn(client, p.prisonNumber(), "1357", fresh).statusCode(), "a fresh challenge works");
  }

  @Test
  void aBadProofIsRefusedBeforeThePinSoItNeverCountsTowardsTheLock(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    Prisoner p = fx.prisoner("9753");
    TestKiosk kiosk = fx.kiosk(true);
    for (int i = 0; i < 7; i++) {
      String nonce = kiosk.challenge(client).orElseThrow();
      JsonObject bad = new JsonObject().put("device_id", kiosk.deviceId()).put("nonce", nonce).put("signature", kiosk.sign("other"));
      assertProofRefused(TestKiosk.signIn(client, p.prisonNumber(), "0000", bad));
    }
    assertEquals(200, kiosk.signIn(client, p.prisonNumber(), "9753").statusCode(), "not locked: no PIN was tried");
    assertFalse(fx.audit("auth.kiosk").stream().anyMatch(e -> "BAD_PIN".equals(e.getJsonObject("details").getString("reason"))
        && p.id().equals(e.getString("prisoner_id"))));
  }

  @Test
  void anotherEstablishmentsKioskNeverTriesThePinNorLocksThePrisonerOut(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    Prisoner p = fx.prisoner("4680");
    TestKiosk ours = fx.kiosk(true);
    TestKiosk theirs = other.kiosk(true);
    String unknown = AuthFixture.prisonNumber();
    HttpResponse<Buffer> rightPinThere = null;
    HttpResponse<Buffer> unknownThere = null;
    for (int i = 0; i < 5; i++) {
      // the right PIN and a wrong one get the same answer there: no PIN oracle
      HttpResponse<Buffer> right = theirs.signIn(client, p.prisonNumber(), "4680");
      HttpResponse<Buffer> wrong = theirs.signIn(client, p.prisonNumber(), "0000");
      unknownThere = theirs.signIn(client, unknown, "4680");
      rightPinThere = right;
      if (i < 2) {
        assertEquals(401, right.statusCode(), right.bodyAsString());
        assertEquals("INVALID_CREDENTIALS", errorCode(right));
        assertEquals(right.bodyAsJsonObject(), wrong.bodyAsJsonObject());
        assertEquals(right.bodyAsJsonObject(), unknownThere.bodyAsJsonObject(), "exactly as for a number nobody has");
      }
    }
    // tries there lock there, exactly as for a number nobody has, so the lock tells nothing either
    assertEquals(429, rightPinThere.statusCode(), rightPinThere.bodyAsString());
    assertEquals(unknownThere.statusCode(), rightPinThere.statusCode());

    assertEquals(200, ours.signIn(client, p.prisonNumber(), "4680").statusCode(), "her own kiosk: not locked");
    List<JsonObject> theirLog = other.audit("auth.kiosk");
    assertTrue(theirLog.stream().anyMatch(e -> "WRONG_ESTABLISHMENT".equals(e.getJsonObject("details").getString("reason"))));
    assertTrue(theirLog.stream().filter(e -> p.prisonNumber().equals(e.getJsonObject("details").getString("prison_number")))
        .allMatch(e -> e.getString("prisoner_id") == null
            && List.of("WRONG_ESTABLISHMENT", "LOCKED").contains(e.getJsonObject("details").getString("reason"))),
        "their log has no PIN result for our prisoner and does not name her: " + theirLog);
    assertFalse(fx.audit().stream().anyMatch(e -> "auth.lock".equals(e.getString("action")) && p.id().equals(e.getString("prisoner_id"))));
  }

  @Test
  void unknownAndWithdrawnDevicesGetNoChallenge(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    TestKiosk withdrawn = fx.kiosk(false);
    for (String id : List.of("kiosk-nobody-knows", withdrawn.deviceId())) {
      HttpResponse<Buffer> r = Gateway.await(client.post("/api/v1/auth/kiosk/challenge").sendJsonObject(new JsonObject().put("device_id", id)));
      assertEquals(401, r.statusCode(), r.bodyAsString());
      assertEquals("DEVICE_NOT_ENROLLED", errorCode(r));
    }
    HttpResponse<Buffer> bad = Gateway.await(client.post("/api/v1/auth/kiosk/challenge").sendJsonObject(new JsonObject().put("device_id", "no spaces")));
    assertEquals(400, bad.statusCode());
    assertEquals("device_id", bad.bodyAsJsonObject().getJsonObject("error").getString("field"));
  }
}
