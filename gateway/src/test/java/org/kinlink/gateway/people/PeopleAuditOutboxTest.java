package org.kinlink.gateway.people;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;
import static org.kinlink.gateway.auth.AuthFixture.get;
import static org.kinlink.gateway.auth.AuthFixture.post;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.AuditFaults;
import org.kinlink.gateway.support.GatewayProcess;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * Issue 9 item 2: a directory change commits together with its pending audit entry, so a failed audit
 * append or a node killed between the write and the append leaves an entry another node's sweeper
 * writes exactly once, and the client is never told "nothing was written" about a saved change.
 */
class PeopleAuditOutboxTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Gateway gateway;
  static AuthFixture styal;
  static Redis redis;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    styal = new AuthFixture(gateway);
    redis = kinlink.redis();
    quiet(gateway);
    // the process started below runs on the real clock: sign in before any test moves the test clock on
    adminForSecondProcess = styal.staffToken(kinlink.client(), Role.ADMIN);
  }

  static String adminForSecondProcess;

  /** This test runs every sweep itself, so what it sees between them is what a write left. */
  private static AuditOutbox quiet(Gateway node) {
    return AuditFaults.quiet(node);
  }

  /** A second node's own sweeper, after the grace a writer has to finish its change has passed on the clock. */
  private static AuditOutbox otherNodesSweeper() {
    kinlink.clock().advance(Duration.ofSeconds(11));
    return quiet(kinlink.nodes(2).get(1));
  }

  private static <T> T withAuditRefusing(java.util.function.Supplier<T> during) {
    return AuditFaults.refusingAppends(redis, during);
  }

  private static List<JsonObject> enrolmentsOf(String deviceId) {
    return styal.audit("device.enrol").stream()
        .filter(e -> deviceId.equals(e.getJsonObject("details").getString("device"))).toList();
  }

  private static Map<String, String> parked() {
    return AuditFaults.parkedDirectoryChanges(redis);
  }

  private static String parkedChangeOf(String deviceId) {
    return AuditFaults.parkedChange(redis, audit -> audit.getJsonObject("details").getJsonObject("after").getString("id").equals(deviceId));
  }

  @Test
  void aChangeWhoseAuditAppendFailsIsSavedSaidSoAndAuditedExactlyOnceBySweeping(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String admin = styal.staffToken(client, Role.ADMIN);
    String deviceId = "kiosk-" + UUID.randomUUID().toString().substring(0, 8);

    HttpResponse<Buffer> r = withAuditRefusing(() -> post(client, "/api/v1/devices", admin,
        new JsonObject().put("id", deviceId).put("location", "Wing A")));
    assertEquals(503, r.statusCode(), r.bodyAsString());
    assertEquals("AUDIT_PENDING", errorCode(r), "saved but not yet audited is not 'unavailable'");
    assertFalse(r.bodyAsString().contains("nothing was written"), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getJsonObject("error").getString("message").contains("was saved"));
    HttpResponse<Buffer> devices = get(client, "/api/v1/devices?limit=200", admin);
    assertTrue(devices.bodyAsJsonObject().getJsonArray("items").stream()
        .anyMatch(d -> deviceId.equals(((JsonObject) d).getString("id"))), "the device really is enrolled");
    assertEquals(0, enrolmentsOf(deviceId).size(), "not audited yet");
    String changeId = parkedChangeOf(deviceId);
    assertTrue(changeId != null, "its audit entry waits in the outbox");
    String parkedEntry = parked().get(changeId);

    AuditOutbox sweeper = otherNodesSweeper();
    assertTrue(Gateway.await(sweeper.sweep()) >= 1);
    List<JsonObject> audited = enrolmentsOf(deviceId);
    assertEquals(1, audited.size(), "audited once by the sweeper");
    assertEquals(changeId, audited.get(0).getJsonObject("details").getString("change_id"));
    assertEquals(null, parkedChangeOf(deviceId), "and gone from the outbox");

    // the same change parked again (a sweeper that completed it but died before removing it): nothing is appended twice
    Gateway.await(redis.call(c -> c.hset(Keys.dirAuditOutbox(), changeId, parkedEntry)));
    Gateway.await(sweeper.sweep());
    Gateway.await(otherNodesSweeper().sweep());
    assertEquals(1, enrolmentsOf(deviceId).size(), "a replayed sweep appends nothing");
    assertEquals(null, parkedChangeOf(deviceId));
  }

  @Test
  void aRefusedCreateIsAConflictAndNotAudited(Vertx vertx) {
    // the outbox holds only what was written: a create refused inside the script parks nothing
    WebClient client = AuthFixture.client(vertx, gateway);
    String admin = styal.staffToken(client, Role.ADMIN);
    String deviceId = "kiosk-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, post(client, "/api/v1/devices", admin, new JsonObject().put("id", deviceId).put("location", "A")).statusCode());
    HttpResponse<Buffer> again = post(client, "/api/v1/devices", admin, new JsonObject().put("id", deviceId).put("location", "B"));
    assertEquals(409, again.statusCode());
    assertEquals(1, enrolmentsOf(deviceId).size(), "the refused create is not audited as an enrolment");
  }

  @Test
  void aGatewayKilledBetweenWriteAndAuditLeavesAChangeAnotherNodeAuditsOnce() throws Exception {
    String admin = adminForSecondProcess;
    GatewayProcess second = GatewayProcess.start(kinlink.redisUrl(), Map.of());
    Process node = second.process;
    int port = second.port;
    try {
      HttpClient http = HttpClient.newHttpClient();
      String deviceId = "kiosk-" + UUID.randomUUID().toString().substring(0, 8);
      HttpRequest enrol = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/devices"))
          .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("id", deviceId).put("location", "Wing B").encode()))
          .build();
      int status = withAuditRefusing(() -> {
        try {
          int s = http.send(enrol, BodyHandlers.ofString()).statusCode();
          // killed before it could audit: SIGKILL, no shutdown hooks, no last sweep
          node.destroyForcibly().waitFor();
          return s;
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      assertEquals(503, status);
      assertFalse(node.isAlive());
      assertTrue(parkedChangeOf(deviceId) != null, "the dead node's change waits in the outbox");
      assertEquals(0, enrolmentsOf(deviceId).size());

      Gateway.await(otherNodesSweeper().sweep());
      Gateway.await(otherNodesSweeper().sweep());
      assertEquals(1, enrolmentsOf(deviceId).size(), "another node audited it, once");
    } finally {
      node.destroyForcibly();
    }
  }
}
