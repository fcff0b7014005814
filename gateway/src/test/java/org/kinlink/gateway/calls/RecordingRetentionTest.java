package org.kinlink.gateway.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.messaging.MessagingFixture;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.AuditFaults;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * Security's view of recordings (the establishment's list with names, playback with a reason, both
 * establishments of an inter-prison call, 404 elsewhere), their retention and holds, and a call
 * change whose audit append fails being saved, said so, and audited once by the outbox sweeper.
 */
class RecordingRetentionTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  private static final byte[] FIRST = "webm-header-and-first-second".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SECOND = "second-second-of-video".getBytes(StandardCharsets.UTF_8);

  /** A call between {@code mother} and {@code other} that went live, was recorded (two chunks, a second apart) and was ended by staff. */
  private static String recordedCall(CallsFixture f, SignedIn mother, SignedIn other, String contact, Duration at, String... approvers) {
    return f.recorded(kinlink.vertx(), mother, other, contact, at, List.of(FIRST, SECOND), approvers);
  }

  private static List<JsonObject> items(JsonObject page) {
    return page.getJsonArray("items").stream().map(JsonObject.class::cast).toList();
  }

  private static HttpResponse<Buffer> hold(CallsFixture f, String token, String callId, boolean held, String reason) {
    return Gateway.await(f.client.put("/api/v1/calls/" + callId + "/recordings/hold").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("held", held).put("reason", reason)));
  }

  @Test
  void securityListsTheEstablishmentsRecordingsByNameAndPlaysOneOnlyWithAReason() {
    CallsFixture f = new CallsFixture(kinlink.gateway(), kinlink.client(), kinlink.clock());
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    String first = recordedCall(f, mother, carer, contact, Duration.ofMinutes(5));
    String second = recordedCall(f, mother, carer, contact, Duration.ofMinutes(9));
    String security = f.m.security();

    JsonObject page1 = AuthFixture.get(f.client, "/api/v1/recordings?limit=1", security).bodyAsJsonObject();
    assertEquals(1, items(page1).size(), page1.encode());
    JsonObject newest = items(page1).get(0);
    assertEquals(second, newest.getString("call_id"), "newest call first");
    assertEquals(List.of(mother.name(), carer.name()),
        newest.getJsonArray("participants").stream().map(o -> ((JsonObject) o).getString("name")).toList(), "names, not ids");
    assertFalse(newest.getJsonArray("participants").encode().contains(carer.id()));
    assertEquals(FIRST.length + SECOND.length, newest.getLong("bytes"));
    assertEquals(2, newest.getLong("seconds"), "from the first chunk to a slice after the last");
    assertNotNull(newest.getString("call_start"));
    assertNotNull(page1.getString("next_cursor"));
    JsonObject page2 = AuthFixture.get(f.client, "/api/v1/recordings?limit=1&cursor=" + page1.getString("next_cursor"), security)
        .bodyAsJsonObject();
    assertEquals(first, items(page2).get(0).getString("call_id"));
    assertNull(page2.getString("next_cursor"));
    assertTrue(f.audit("call.recordings.list").stream().anyMatch(e -> "establishment".equals(e.getJsonObject("details").getString("scope"))),
        "a list access is audited");

    String rec = newest.getString("id");
    HttpResponse<Buffer> noReason = AuthFixture.get(f.client, "/api/v1/recordings/" + rec, security);
    assertEquals(400, noReason.statusCode());
    HttpResponse<Buffer> blank = AuthFixture.get(f.client, "/api/v1/recordings/" + rec + "?reason=%20%20", security);
    assertEquals(400, blank.statusCode());
    assertEquals("REASON_REQUIRED", AuthFixture.errorCode(blank));
    HttpResponse<Buffer> played = AuthFixture.get(f.client, "/api/v1/recordings/" + rec + "?reason=complaint", security);
    assertEquals(200, played.statusCode());
    assertEquals(new String(FIRST, StandardCharsets.UTF_8) + new String(SECOND, StandardCharsets.UTF_8), played.bodyAsString());
    assertEquals(403, AuthFixture.get(f.client, "/api/v1/recordings", f.m.auth.staffToken(f.client, Role.OFFICER)).statusCode());

    // another establishment: nothing listed, and the recording and its call are as if they did not exist
    String elsewhere = new MessagingFixture(kinlink.gateway(), f.client).security();
    assertEquals(List.of(), items(AuthFixture.get(f.client, "/api/v1/recordings", elsewhere).bodyAsJsonObject()));
    assertEquals(404, AuthFixture.get(f.client, "/api/v1/recordings/" + rec + "?reason=x", elsewhere).statusCode());
    assertEquals(404, hold(f, elsewhere, second, true, "curious").statusCode());
    assertEquals(404, AuthFixture.get(f.client, "/api/v1/calls/" + second + "/recordings?reason=x", elsewhere).statusCode());
  }

  @Test
  void bothEstablishmentsOfAnInterPrisonCallSeeItsRecordings() {
    CallsFixture f = new CallsFixture(kinlink.gateway(), kinlink.client(), kinlink.clock());
    SignedIn mother = f.m.mother();
    MessagingFixture send = new MessagingFixture(kinlink.gateway(), f.client);
    SignedIn father = send.mother();
    String ab = f.m.contact(mother.id(), f.m.linkedParent(father.id()), "PARENT", null);
    send.contact(father.id(), send.linkedParent(mother.id()), "PARENT", null);
    String id = recordedCall(f, mother, father, ab, Duration.ofMinutes(5), f.m.auth.staffToken(f.client, Role.OFFICER),
        send.auth.staffToken(f.client, Role.OFFICER));
    for (String security : List.of(f.m.security(), send.security())) {
      List<JsonObject> listed = items(AuthFixture.get(f.client, "/api/v1/recordings", security).bodyAsJsonObject());
      assertEquals(List.of(id), listed.stream().map(r -> r.getString("call_id")).toList());
      assertEquals(200, AuthFixture.get(f.client, "/api/v1/recordings/" + listed.get(0).getString("id") + "?reason=review",
          security).statusCode());
    }
    String third = new MessagingFixture(kinlink.gateway(), f.client).security();
    String rec = Recordings.recordingId(id, mother.id());
    assertEquals(404, AuthFixture.get(f.client, "/api/v1/recordings/" + rec + "?reason=x", third).statusCode());
  }

  @Test
  void recordingsAreDeletedAfterNinetyDaysUnlessHeldAndWhatTheyWereStaysOnRecord() {
    CallsFixture f = new CallsFixture(kinlink.gateway(), kinlink.client(), kinlink.clock());
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    String held = recordedCall(f, mother, carer, contact, Duration.ofMinutes(5));
    String kept = recordedCall(f, mother, carer, contact, Duration.ofMinutes(9));
    String security = f.m.security();
    Redis redis = kinlink.redis();

    assertEquals(422, hold(f, security, held, true, " ").statusCode(), "a hold needs a reason");
    HttpResponse<Buffer> placed = hold(f, security, held, true, "complaint under investigation");
    assertEquals(200, placed.statusCode(), placed.bodyAsString());
    assertTrue(placed.bodyAsJsonObject().getBoolean("held"));
    assertEquals("complaint under investigation", f.audit("call.recording.hold").get(0).getJsonObject("details").getString("reason"));
    assertEquals(403, hold(f, f.m.auth.staffToken(f.client, Role.OFFICER), held, true, "officer").statusCode());

    // (other tests' establishments share this database and clock: what is asserted is this establishment's recordings)
    String keptRec = Recordings.recordingId(kept, mother.id());
    String heldRec = Recordings.recordingId(held, mother.id());
    f.clock.advance(Duration.ofDays(89));
    Gateway.await(f.calls().sweepRecordings());
    assertTrue(f.chunkStored(keptRec, 0), "not yet 90 days");
    f.clock.advance(Duration.ofDays(2));
    assertTrue(Gateway.await(f.calls().sweepRecordings()) >= 1, "the one not held");
    assertFalse(f.chunkStored(keptRec, 0), "chunks deleted");
    assertFalse(f.chunkStored(keptRec, 1));
    Map<String, String> meta = Gateway.await(redis.<Map<String, String>>call(c -> c.hgetall(Keys.callRecordings(kept))));
    assertFalse(meta.containsKey(keptRec + ":key"), "its data key deleted too");
    assertTrue(f.chunkStored(heldRec, 0), "a held recording is kept");

    String later = f.m.security(); // the first token's time is long over
    HttpResponse<Buffer> gone = AuthFixture.get(f.client, "/api/v1/recordings/" + keptRec + "?reason=review", later);
    assertEquals(410, gone.statusCode());
    assertEquals("RECORDING_DELETED", AuthFixture.errorCode(gone));
    assertEquals(200, AuthFixture.get(f.client, "/api/v1/recordings/" + heldRec + "?reason=review", later).statusCode());
    JsonObject listedKept = items(AuthFixture.get(f.client, "/api/v1/recordings", later).bodyAsJsonObject()).stream()
        .filter(r -> r.getString("call_id").equals(kept)).findFirst().orElseThrow();
    assertNotNull(listedKept.getString("deleted_at"), "what it was stays listed");
    assertEquals(FIRST.length + SECOND.length, listedKept.getLong("bytes"));

    assertEquals(200, hold(f, later, held, false, "investigation closed").statusCode());
    assertTrue(Gateway.await(f.calls().sweepRecordings()) >= 1, "lifting the last hold lets its time run out");
    assertFalse(f.chunkStored(heldRec, 0));
    List<JsonObject> deletions = f.audit("call.recording.retention.delete");
    assertEquals(2, deletions.size());
    assertEquals(90L, deletions.get(0).getJsonObject("details").getLong("retention_days"));
    assertEquals(1, f.audit("call.recording.release").size());
    assertFalse(f.audit("call.request").isEmpty(), "the calls' audit entries stay");
    assertEquals(1, f.audit("call.recording.play").stream().filter(e -> e.getJsonObject("details").getString("recording_id")
        .equals(heldRec)).count());
  }

  @Test
  void anEstablishmentsOwnRecordingRetentionApplies() {
    CallsFixture f = new CallsFixture(kinlink.gateway(), kinlink.client(), kinlink.clock());
    Gateway.await(f.calls().settings(f.m.auth.est, CallSettings.DEFAULTS.withRecordingRetentionDays(7)));
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String id = recordedCall(f, mother, carer, f.m.contact(mother.id(), carer.id(), "CARER", null), Duration.ofMinutes(5));
    String rec = Recordings.recordingId(id, mother.id());
    f.clock.advance(Duration.ofDays(6));
    Gateway.await(f.calls().sweepRecordings());
    assertTrue(f.chunkStored(rec, 0), "kept for 7 days");
    f.clock.advance(Duration.ofDays(2));
    // two nodes sweeping at once (or a sweep repeated after a node died mid-way): deleted, and audited once
    Gateway.await(io.vertx.core.Future.all(f.calls().sweepRecordings(), f.calls().sweepRecordings()));
    assertFalse(f.chunkStored(rec, 0));
    List<JsonObject> deleted = f.audit("call.recording.retention.delete");
    assertEquals(1, deleted.size(), deleted.toString());
    assertEquals(7L, deleted.get(0).getJsonObject("details").getLong("retention_days"));
  }

  @Test
  void aBookingAndACancelWhoseAuditFailsAreSavedSaidSoAndAuditedOnceBySweeping() {
    CallsFixture f = new CallsFixture(kinlink.gateway(), kinlink.client(), kinlink.clock());
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    HttpResponse<Buffer> booked = withAuditRefusing(() -> f.book(mother.token(), contact, f.in(Duration.ofMinutes(60)), 30));
    assertEquals(503, booked.statusCode(), booked.bodyAsString());
    assertEquals("AUDIT_PENDING", AuthFixture.errorCode(booked));
    List<JsonObject> mine = items(AuthFixture.get(f.client, "/api/v1/calls", mother.token()).bodyAsJsonObject());
    assertEquals(1, mine.size(), "the booking stands");
    String id = mine.get(0).getString("id");
    assertEquals(1L, (long) Gateway.<Long>await(kinlink.redis().call(c -> c.hlen(Keys.callOutbox(id)))), "its audit entry is parked");
    assertTrue(requests(f, id).isEmpty());

    HttpResponse<Buffer> cancelled = withAuditRefusing(() -> f.post(mother.token(), "/api/v1/calls/" + id + "/cancel", null));
    assertEquals(503, cancelled.statusCode(), cancelled.bodyAsString());
    assertEquals("CANCELLED", f.call(mother.token(), id).getString("state"));

    kinlink.clock().advance(CallOutbox.GRACE.plusSeconds(1));
    Gateway.await(f.calls().sweepAuditOutbox());
    Gateway.await(f.calls().sweepAuditOutbox());
    assertEquals(1, requests(f, id).size(), "audited once by the sweeper");
    assertEquals(1, f.audit("call.cancel").stream().filter(e -> id.equals(e.getJsonObject("details").getString("call_id"))).count());
    assertEquals(0L, (long) Gateway.<Long>await(kinlink.redis().call(c -> c.hlen(Keys.callOutbox(id)))));
  }

  private static List<JsonObject> requests(CallsFixture f, String callId) {
    return f.audit("call.request").stream().filter(e -> callId.equals(e.getJsonObject("details").getString("call_id"))).toList();
  }

  private static <T> T withAuditRefusing(java.util.function.Supplier<T> during) {
    return AuditFaults.refusingAppends(kinlink.redis(), during);
  }
}
