package org.kinlink.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;
import static org.kinlink.gateway.auth.AuthFixture.post;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestKiosk;

/** {@code kinlink admin device enrol|withdraw} against a running gateway's Redis. */
class AdminDeviceCommandTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();
  private static final Pattern CODE = Pattern.compile("enrolment code: ([0-9A-Z-]+)");

  static Gateway gateway;
  static AuthFixture fx;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    fx = kinlink.establishment();
  }

  private static String code(AdminCliTest.Run r) {
    Matcher m = CODE.matcher(r.out());
    assertTrue(m.find(), r.out() + r.err());
    return m.group(1);
  }

  /** {@code kinlink admin device ...} through the real command line, against this class's Redis. */
  private static AdminCliTest.Run run(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("admin", "device"));
    all.addAll(List.of(args));
    all.add("--redis");
    all.add(kinlink.redisUrl());
    return AdminCliTest.kinlink(all.toArray(String[]::new));
  }

  @Test
  void enrolPrintsACodeTheKioskUsesOnceAndWithdrawEndsItsSignIns() {
    WebClient client = kinlink.client();
    String id = "kiosk-cli-" + UUID.randomUUID().toString().substring(0, 6);
    AdminCliTest.Run first = run("enrol", "--establishment", fx.est, "--device-id", id, "--label", "Wing F, cell 2");
    assertEquals(0, first.exit(), first.err());
    // lost the code before using it: running it again gives a new one and the first stops working
    AdminCliTest.Run again = run("enrol", "--establishment", fx.est, "--device-id", id);
    assertEquals(0, again.exit(), again.err());
    assertNotEquals(code(first), code(again));
    TestKiosk kiosk = TestKiosk.unenrolled(id);
    assertEquals("INVALID_ENROLMENT_CODE", errorCode(post(client, "/api/v1/devices/enrol", kiosk.enrolmentBody(code(first)))));
    assertEquals(200, post(client, "/api/v1/devices/enrol", kiosk.enrolmentBody(code(again))).statusCode());
    assertEquals("Wing F, cell 2", Gateway.await(fx.directory.device(id)).orElseThrow().location(), "the label is kept");

    Prisoner p = fx.prisoner("2580");
    assertEquals(200, kiosk.signIn(client, p.prisonNumber(), "2580").statusCode());
    AdminCliTest.Run enrolled = run("enrol", "--establishment", fx.est, "--device-id", id);
    assertEquals(0, enrolled.exit());
    assertTrue(enrolled.out().contains("already enrolled"), enrolled.out());
    assertFalse(CODE.matcher(enrolled.out()).find(), "no code for a device that has its key");

    AdminCliTest.Run withdraw = run("withdraw", "--device-id", id);
    assertEquals(0, withdraw.exit(), withdraw.err());
    assertEquals("DEVICE_NOT_ENROLLED", errorCode(kiosk.signIn(client, p.prisonNumber(), "2580")));
    AdminCliTest.Run twice = run("withdraw", "--device-id", id);
    assertEquals(0, twice.exit());
    assertTrue(twice.out().contains("already withdrawn; nothing changed"), twice.out());

    // enrolled again: a new code, a new key
    AdminCliTest.Run back = run("enrol", "--establishment", fx.est, "--device-id", id);
    TestKiosk renewed = TestKiosk.unenrolled(id);
    assertEquals(200, post(client, "/api/v1/devices/enrol", renewed.enrolmentBody(code(back))).statusCode());
    assertEquals(200, renewed.signIn(client, p.prisonNumber(), "2580").statusCode());

    String operator = "cli:" + System.getProperty("user.name");
    List<JsonObject> entries = fx.audit().stream().filter(e -> operator.equals(e.getString("actor_id"))).toList();
    assertTrue(entries.stream().anyMatch(e -> "device.enrol".equals(e.getString("action"))), entries.toString());
    assertTrue(entries.stream().anyMatch(e -> "device.enrolment_code".equals(e.getString("action"))));
    assertTrue(entries.stream().anyMatch(e -> "device.update".equals(e.getString("action"))
        && "WITHDRAWN".equals(e.getJsonObject("details").getJsonObject("after").getString("status"))));
    assertFalse(fx.audit().toString().contains(code(first)), "codes never reach the log");
  }

  @Test
  void badInputExits2NamingTheOption() {
    AdminCliTest.Run badId = run("enrol", "--establishment", fx.est, "--device-id", "no spaces");
    assertEquals(2, badId.exit());
    assertTrue(badId.err().contains("--device-id"), badId.err());
    AdminCliTest.Run noEst = run("enrol", "--establishment", "nowhere-" + UUID.randomUUID(), "--device-id", "kiosk-x");
    assertEquals(2, noEst.exit());
    assertTrue(noEst.err().contains("--establishment"), noEst.err());
    AdminCliTest.Run missing = run("enrol", "--device-id", "kiosk-x");
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("--establishment"), missing.err());
    AdminCliTest.Run unknown = run("withdraw", "--device-id", "kiosk-nobody-" + UUID.randomUUID().toString().substring(0, 6));
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("--device-id"), unknown.err());
    String theirs = fx.kiosk(true).deviceId();
    AuthFixture other = kinlink.establishment();
    AdminCliTest.Run wrongEst = run("enrol", "--establishment", other.est, "--device-id", theirs);
    assertEquals(1, wrongEst.exit(), "well-formed, but the deployment's state refuses it");
    assertTrue(wrongEst.err().contains(theirs) && wrongEst.err().contains(fx.est), wrongEst.err());
    AdminCliTest.Run none = run();
    assertEquals(2, none.exit());
  }
}
