package org.kinlink.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;
import static org.kinlink.gateway.auth.AuthFixture.post;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import picocli.CommandLine;

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

  record Run(int exit, String out, String err) {
    String code() {
      Matcher m = CODE.matcher(out);
      assertTrue(m.find(), out);
      return m.group(1);
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new AdminDeviceCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.add("--redis");
    all.add(kinlink.redisUrl());
    int exit = cli.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void enrolPrintsACodeTheKioskUsesOnceAndWithdrawEndsItsSignIns() {
    WebClient client = kinlink.client();
    String id = "kiosk-cli-" + UUID.randomUUID().toString().substring(0, 6);
    Run first = run("enrol", "--establishment", fx.est, "--device-id", id, "--label", "Wing F, cell 2");
    assertEquals(0, first.exit(), first.err());
    // lost the code before using it: running it again gives a new one and the first stops working
    Run again = run("enrol", "--establishment", fx.est, "--device-id", id);
    assertEquals(0, again.exit(), again.err());
    assertNotEquals(first.code(), again.code());
    TestKiosk kiosk = TestKiosk.unenrolled(id);
    assertEquals("INVALID_ENROLMENT_CODE", errorCode(post(client, "/api/v1/devices/enrol", kiosk.enrolmentBody(first.code()))));
    assertEquals(200, post(client, "/api/v1/devices/enrol", kiosk.enrolmentBody(again.code())).statusCode());
    assertEquals("Wing F, cell 2", Gateway.await(fx.directory.device(id)).orElseThrow().location(), "the label is kept");

    Prisoner p = fx.prisoner("2580");
    assertEquals(200, kiosk.signIn(client, p.prisonNumber(), "2580").statusCode());
    Run enrolled = run("enrol", "--establishment", fx.est, "--device-id", id);
    assertEquals(0, enrolled.exit());
    assertTrue(enrolled.out().contains("already enrolled"), enrolled.out());
    assertFalse(CODE.matcher(enrolled.out()).find(), "no code for a device that has its key");

    Run withdraw = run("withdraw", "--device-id", id);
    assertEquals(0, withdraw.exit(), withdraw.err());
    assertEquals("DEVICE_NOT_ENROLLED", errorCode(kiosk.signIn(client, p.prisonNumber(), "2580")));
    Run twice = run("withdraw", "--device-id", id);
    assertEquals(0, twice.exit());
    assertTrue(twice.out().contains("already withdrawn; nothing changed"), twice.out());

    // enrolled again: a new code, a new key
    Run back = run("enrol", "--establishment", fx.est, "--device-id", id);
    TestKiosk renewed = TestKiosk.unenrolled(id);
    assertEquals(200, post(client, "/api/v1/devices/enrol", renewed.enrolmentBody(back.code())).statusCode());
    assertEquals(200, renewed.signIn(client, p.prisonNumber(), "2580").statusCode());

    String operator = "cli:" + System.getProperty("user.name");
    List<JsonObject> entries = fx.audit().stream().filter(e -> operator.equals(e.getString("actor_id"))).toList();
    assertTrue(entries.stream().anyMatch(e -> "device.enrol".equals(e.getString("action"))), entries.toString());
    assertTrue(entries.stream().anyMatch(e -> "device.enrolment_code".equals(e.getString("action"))));
    assertTrue(entries.stream().anyMatch(e -> "device.update".equals(e.getString("action"))
        && "WITHDRAWN".equals(e.getJsonObject("details").getJsonObject("after").getString("status"))));
    assertFalse(fx.audit().toString().contains(first.code()), "codes never reach the log");
  }

  @Test
  void badInputExits2NamingTheOption() {
    Run badId = run("enrol", "--establishment", fx.est, "--device-id", "no spaces");
    assertEquals(2, badId.exit());
    assertTrue(badId.err().contains("--device-id"), badId.err());
    Run noEst = run("enrol", "--establishment", "nowhere-" + UUID.randomUUID(), "--device-id", "kiosk-x");
    assertEquals(2, noEst.exit());
    assertTrue(noEst.err().contains("--establishment"), noEst.err());
    Run missing = run("enrol", "--device-id", "kiosk-x");
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("--establishment"), missing.err());
    Run unknown = run("withdraw", "--device-id", "kiosk-nobody-" + UUID.randomUUID().toString().substring(0, 6));
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("--device-id"), unknown.err());
    String theirs = fx.kiosk(true).deviceId();
    AuthFixture other = kinlink.establishment();
    Run wrongEst = run("enrol", "--establishment", other.est, "--device-id", theirs);
    assertEquals(2, wrongEst.exit());
    assertTrue(wrongEst.err().contains("--device-id") && wrongEst.err().contains(fx.est), wrongEst.err());
    Run none = run();
    assertEquals(2, none.exit());
  }
}
