package org.kinlink.gateway.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.cluster.SlotHash;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.messaging.MessagingFixture;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.support.AuditFaults;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * An establishment's messaging retention and call settings change together with their audit entry:
 * every change is on the record exactly once, with the values it really replaced, even when the
 * audit append fails (the change stands, the admin is told its record is pending, and a sweeper on
 * any node writes it) or two admins change the settings at once on two nodes.
 */
class EstablishmentSettingsAuditTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  /** One of the two settings: its URL, a body setting it to a value, and where the value is in answers and entries. */
  private record Setting(String segment, String action, Function<Integer, JsonObject> body, Function<JsonObject, Object> value,
      Function<String, String> outboxKey, Function<Gateway, AuditedSettings> sweeper, Object defaults) {
    String path(String est) {
      return "/api/v1/establishments/" + est + "/" + segment;
    }
  }

  private static final Setting MESSAGING = new Setting("messaging-settings", "messaging.settings.change",
      days -> new JsonObject().put("retention_days", days), answer -> answer.getInteger("retention_days"),
      Keys::messageRetentionOutbox, node -> node.services().messaging().settingsAudit(), 90);

  private static final Setting CALLS = new Setting("call-settings", "calls.settings.change",
      days -> callSettings(days), answer -> answer, Keys::callSettingsOutbox, node -> node.services().calls().settingsAudit(),
      new JsonObject().put("call_hours", new JsonObject().put("opens", "08:00").put("closes", "20:00")).put("capacity", 4)
          .put("approval_required", false).put("recording_retention_days", 90));

  private static JsonObject callSettings(int recordingDays) {
    return new JsonObject().put("call_hours", new JsonObject().put("opens", "09:00").put("closes", "17:00"))
        .put("capacity", 2).put("approval_required", true).put("recording_retention_days", recordingDays);
  }

  /** A fresh establishment on node A, its admin, and a client of node B. */
  private record Here(MessagingFixture m, String admin, WebClient onB, Gateway nodeB) {
    String est() {
      return m.auth.est;
    }
  }

  private static Here here() {
    List<Gateway> nodes = kinlink.nodes(2);
    MessagingFixture m = new MessagingFixture(nodes.get(0), kinlink.client(nodes.get(0)));
    return new Here(m, m.auth.staffToken(m.client, Role.ADMIN), kinlink.client(nodes.get(1)), nodes.get(1));
  }

  private static Object stored(Here h, Setting s, WebClient client) {
    HttpResponse<Buffer> r = AuthFixture.get(client, s.path(h.est()), h.admin());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return s.value().apply(r.bodyAsJsonObject());
  }

  private static Map<String, String> parked(Setting s, String est) {
    return Gateway.await(kinlink.redis().call(c -> c.hgetall(s.outboxKey().apply(est))));
  }

  @Test
  void aMessagingRetentionChangeIsOnRecordOnceAndReadOnTheOtherNode() {
    aChangeIsOnRecordOnceAndReadOnTheOtherNode(MESSAGING);
  }

  @Test
  void aCallSettingsChangeIsOnRecordOnceAndReadOnTheOtherNode() {
    aChangeIsOnRecordOnceAndReadOnTheOtherNode(CALLS);
  }

  private void aChangeIsOnRecordOnceAndReadOnTheOtherNode(Setting s) {
    Here h = here();
    HttpResponse<Buffer> set = h.m().put(s.path(h.est()), h.admin(), s.body().apply(30));
    assertEquals(200, set.statusCode(), set.bodyAsString());
    assertEquals(s.value().apply(s.body().apply(30)), s.value().apply(set.bodyAsJsonObject()));
    assertEquals(s.value().apply(s.body().apply(30)), stored(h, s, h.onB()), "node B reads node A's change");

    List<JsonObject> changes = h.m().audit(s.action());
    assertEquals(1, changes.size(), "on record once");
    JsonObject details = changes.get(0).getJsonObject("details");
    assertEquals(s.defaults(), details.getValue("from"));
    assertEquals(s.value().apply(s.body().apply(30)), details.getValue("to"));
    assertNotNull(details.getString("change_id"), "committed through the outbox");
    assertTrue(parked(s, h.est()).isEmpty(), "nothing left waiting");

    HttpResponse<Buffer> again = h.m().put(s.path(h.est()), h.admin(), s.body().apply(30));
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertEquals(set.bodyAsJsonObject(), again.bodyAsJsonObject(), "the same answer");
    assertEquals(1, h.m().audit(s.action()).size(), "the same settings again are no change, and nothing is recorded");
  }

  @Test
  void aMessagingRetentionChangeWhoseAppendFailsIsKeptAndSweptOntoTheRecordOnce() {
    aChangeWhoseAppendFailsIsKeptAndSweptOntoTheRecordOnce(MESSAGING);
  }

  @Test
  void aCallSettingsChangeWhoseAppendFailsIsKeptAndSweptOntoTheRecordOnce() {
    aChangeWhoseAppendFailsIsKeptAndSweptOntoTheRecordOnce(CALLS);
  }

  private void aChangeWhoseAppendFailsIsKeptAndSweptOntoTheRecordOnce(Setting s) {
    Here h = here();
    String path = s.path(h.est());
    Object thirty = s.value().apply(s.body().apply(30));
    List<HttpResponse<Buffer>> answers = AuditFaults.refusingAppends(kinlink.redis(), () -> List.of(
        h.m().put(path, h.admin(), s.body().apply(30)), h.m().put(path, h.admin(), s.body().apply(45))));

    HttpResponse<Buffer> pending = answers.get(0);
    assertEquals(503, pending.statusCode(), pending.bodyAsString());
    assertEquals("AUDIT_PENDING", AuthFixture.errorCode(pending));
    HttpResponse<Buffer> next = answers.get(1);
    assertEquals(503, next.statusCode(), next.bodyAsString());
    assertEquals("AUDIT_UNAVAILABLE", AuthFixture.errorCode(next), "no change is made before the one before it is on record");
    assertTrue(next.bodyAsJsonObject().getJsonObject("error").getString("message").startsWith("Nothing was changed"));
    assertEquals(thirty, stored(h, s, h.onB()), "the first change stands, on every node; the second was not made");
    assertEquals(0, h.m().audit(s.action()).size(), "not on record yet");
    Map<String, String> parked = parked(s, h.est());
    assertEquals(1, parked.size(), "its entry waits in the outbox, committed with the change");
    assertEquals(s.action(), new JsonObject(parked.values().iterator().next()).getJsonObject("audit").getString("action"));

    kinlink.clock().advance(AuditedSettings.GRACE.plusSeconds(1));
    Gateway.await(s.sweeper().apply(h.nodeB()).sweep());
    List<JsonObject> changes = h.m().audit(s.action());
    assertEquals(1, changes.size(), "on record once, by node B's sweeper");
    JsonObject details = changes.get(0).getJsonObject("details");
    assertEquals(parked.keySet().iterator().next(), details.getString("change_id"));
    assertEquals(s.defaults(), details.getValue("from"));
    assertEquals(thirty, details.getValue("to"));
    assertTrue(parked(s, h.est()).isEmpty());
    Gateway.await(s.sweeper().apply(h.nodeB()).sweep());
    assertEquals(1, h.m().audit(s.action()).size(), "a later sweep appends nothing");

    String admin = h.m().auth.staffToken(h.m().client, Role.ADMIN); // the clock moved on
    HttpResponse<Buffer> retried = h.m().put(path, admin, s.body().apply(45));
    assertEquals(200, retried.statusCode(), retried.bodyAsString());
    List<JsonObject> after = h.m().audit(s.action());
    assertEquals(2, after.size());
    assertEquals(thirty, after.get(1).getJsonObject("details").getValue("from"));
  }

  @Test
  void concurrentMessagingRetentionChangesOnTwoNodesLeaveALogEndingAtTheStoredValue() {
    concurrentChangesOnTwoNodesLeaveALogEndingAtTheStoredValue(MESSAGING);
  }

  @Test
  void concurrentCallSettingsChangesOnTwoNodesLeaveALogEndingAtTheStoredValue() {
    concurrentChangesOnTwoNodesLeaveALogEndingAtTheStoredValue(CALLS);
  }

  private void concurrentChangesOnTwoNodesLeaveALogEndingAtTheStoredValue(Setting s) {
    Here h = here();
    String path = s.path(h.est());
    List<Future<HttpResponse<Buffer>>> puts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      WebClient client = i % 2 == 0 ? h.m().client : h.onB();
      puts.add(client.put(path).putHeader("Authorization", "Bearer " + h.admin()).sendJsonObject(s.body().apply(11 + i)));
    }
    Gateway.await(Future.all(puts));

    int changed = 0;
    for (Future<HttpResponse<Buffer>> put : puts) {
      HttpResponse<Buffer> r = put.result();
      if (r.statusCode() == 200) {
        changed++;
      } else {
        assertEquals(409, r.statusCode(), r.bodyAsString());
        assertEquals("SETTINGS_BUSY", AuthFixture.errorCode(r));
      }
    }
    assertTrue(changed >= 2, "at least two changes raced");
    // every value differs from the others and from the default, so every 200 replaced something
    List<JsonObject> changes = h.m().audit(s.action());
    assertEquals(changed, changes.size(), "one entry per change made");
    Object previous = s.defaults();
    for (JsonObject change : changes) {
      JsonObject details = change.getJsonObject("details");
      assertEquals(previous, details.getValue("from"), "each entry replaced what the one before it set: " + changes);
      previous = details.getValue("to");
    }
    assertEquals(previous, stored(h, s, h.onB()), "the last entry is the value stored now");
  }

  @Test
  void aWriteThatLostTheRaceToAnotherNodesChangeReadsAgainAndRecordsWhatItReallyReplaced() {
    Gateway node = kinlink.gateway();
    AuthFixture fx = new AuthFixture(node);
    String tag = "kl:{settings-test-" + java.util.UUID.randomUUID() + "}";
    AuditedSettings.Target target = new AuditedSettings.Target(tag + ":settings", tag + ":outbox", List.of("days"));
    AuditedSettings settings = new AuditedSettings(node.services().redis(), node.services().audit(), kinlink.clock(),
        tag + ":index");
    List<String> seen = new ArrayList<>();
    AuditedSettings.Outcome outcome = Gateway.await(settings.change(target, read -> {
      String before = read.getOrDefault("days", "90");
      seen.add(before);
      if (seen.size() == 1) {
        // another node's change lands between this read and the write (sent first on the same connection)
        node.services().redis().call(c -> c.hset(target.hashKey(), "days", "77"));
      }
      return java.util.Optional.of(new AuditedSettings.Change(Map.of("days", "30"),
          org.kinlink.gateway.audit.AuditEvent.of("test.settings.change").establishment(fx.est).outcome("OK")
              .detail("from", before).detail("to", "30").build()));
    }));

    assertEquals(AuditedSettings.Outcome.CHANGED, outcome);
    assertEquals(List.of("90", "77"), seen, "the write found the field changed and read it again");
    List<JsonObject> changes = fx.audit("test.settings.change");
    assertEquals(1, changes.size());
    assertEquals("77", changes.get(0).getJsonObject("details").getString("from"), "what it replaced, not what it first read");
    assertEquals("30", Gateway.<String>await(node.services().redis().call(c -> c.hget(target.hashKey(), "days"))));
  }

  @Test
  void eachSettingsWriteScriptsKeysShareOneSlot() {
    // settings-write.lua touches the settings hash and its outbox
    assertEquals(SlotHash.getSlot(Keys.MESSAGE_RETENTION_DAYS), SlotHash.getSlot(Keys.messageRetentionOutbox("styal")));
    assertEquals(SlotHash.getSlot(Keys.callSettings("styal")), SlotHash.getSlot(Keys.callSettingsOutbox("styal")));
    String lease = Keys.auditOutboxLease(Keys.messageRetentionOutbox("styal"), "c1");
    assertEquals(SlotHash.getSlot(Keys.MESSAGE_RETENTION_DAYS), SlotHash.getSlot(lease));
  }
}
