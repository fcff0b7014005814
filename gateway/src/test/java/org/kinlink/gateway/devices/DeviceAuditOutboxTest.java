package org.kinlink.gateway.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.post;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.AuditFaults;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestKiosk;

/**
 * A kiosk's key enrolment and the demo kiosks' re-keying commit together with their pending audit
 * entry: when the audit append fails, the key is stored with the entry parked beside it, the kiosk is
 * told it is enrolled (it keeps its key), and a sweeper puts the change on the record exactly once.
 */
class DeviceAuditOutboxTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Gateway gateway;
  static AuthFixture fx;
  static Redis redis;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    fx = new AuthFixture(gateway);
    redis = kinlink.redis();
    AuditFaults.quiet(gateway);
  }

  /** Another node's sweeper, once the writer's grace period has passed on the clock. */
  private static AuditOutbox otherNodesSweeper() {
    kinlink.clock().advance(Duration.ofSeconds(11));
    return AuditFaults.quiet(kinlink.nodes(2).get(1));
  }

  private static List<JsonObject> keyEnrolmentsOf(String deviceId) {
    return fx.audit("device.key_enrolled").stream()
        .filter(e -> "OK".equals(e.getString("outcome")) && deviceId.equals(e.getJsonObject("details").getString("device"))).toList();
  }

  private static String parkedKeyEnrolmentOf(String deviceId) {
    return AuditFaults.parkedChange(redis, audit -> "device.key_enrolled".equals(audit.getString("action"))
        && deviceId.equals(audit.getJsonObject("details").getString("device")));
  }

  @Test
  void aKeyEnrolmentWhoseAuditFailsIsEnrolledAndAuditedOnceBySweeping(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String admin = fx.staffToken(client, Role.ADMIN);
    String id = "kiosk-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<Buffer> created = post(client, "/api/v1/devices", admin, new JsonObject().put("id", id).put("location", "Wing D"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    TestKiosk kiosk = TestKiosk.unenrolled(id);

    HttpResponse<Buffer> enrolled = AuditFaults.refusingAppends(redis, () -> post(client, "/api/v1/devices/enrol",
        kiosk.enrolmentBody(created.bodyAsJsonObject().getString("enrolment_code"))));
    // committed with its pending audit entry: the kiosk is told it is enrolled, so it keeps its key
    assertEquals(200, enrolled.statusCode(), enrolled.bodyAsString());
    assertEquals("ENROLLED", enrolled.bodyAsJsonObject().getString("status"));

    Prisoner p = fx.prisoner("4826");
    assertEquals(200, kiosk.signIn(client, p.prisonNumber(), "4826").statusCode(), "the key really is enrolled");
    assertEquals(0, keyEnrolmentsOf(id).size(), "not audited yet");
    String changeId = parkedKeyEnrolmentOf(id);
    assertTrue(changeId != null, "its audit entry waits in the outbox, committed with the key");

    assertTrue(Gateway.await(otherNodesSweeper().sweep()) >= 1);
    List<JsonObject> audited = keyEnrolmentsOf(id);
    assertEquals(1, audited.size(), "audited once, by the sweeper");
    JsonObject details = audited.get(0).getJsonObject("details");
    assertEquals(changeId, details.getString("change_id"));
    assertEquals("AWAITING_KEY", details.getJsonObject("before").getString("status"));
    assertEquals("ENROLLED", details.getJsonObject("after").getString("status"));
    assertEquals(fx.est, audited.get(0).getString("establishment"));
    assertEquals(null, parkedKeyEnrolmentOf(id));
    Gateway.await(otherNodesSweeper().sweep());
    assertEquals(1, keyEnrolmentsOf(id).size(), "a later sweep appends nothing");
  }

  @Test
  void aDemoKioskReKeyedWhileTheAuditFailsIsReKeyedAndAuditedOnceBySweeping() throws Exception {
    TestKiosk old = fx.kiosk(true);
    Path dataDir = Files.createTempDirectory("kinlink-demo-kiosks");
    Files.createDirectories(dataDir.resolve("demo").resolve("kiosks"));
    DemoKiosks demo = new DemoKiosks(kinlink.vertx(), gateway.services().directory(), gateway.services().peopleOutbox(),
        kinlink.clock(), dataDir, List.of(old.deviceId()));

    // its key file is new, so the device is re-keyed to match it; the append fails after the commit
    RuntimeException refused = assertThrows(RuntimeException.class,
        () -> AuditFaults.refusingAppends(redis, () -> Gateway.await(demo.ensure())));
    assertFalse(refused instanceof java.io.UncheckedIOException, refused.toString());
    KioskDevice after = Gateway.await(gateway.services().directory().device(old.deviceId())).orElseThrow();
    TestKiosk fromFile = TestKiosk.fromKeyFile(old.deviceId(), demo.keyFile(old.deviceId()));
    assertEquals(fromFile.publicKeySpki(), after.publicKey(), "re-keyed to the key file");
    assertTrue(parkedKeyEnrolmentOf(old.deviceId()) != null, "its audit entry waits in the outbox");

    Gateway.await(otherNodesSweeper().sweep());
    assertEquals(1, keyEnrolmentsOf(old.deviceId()).size(), "audited once, by the sweeper");
    Gateway.await(demo.ensure());
    assertEquals(1, keyEnrolmentsOf(old.deviceId()).size(), "a key that already matches is no change");
  }
}
