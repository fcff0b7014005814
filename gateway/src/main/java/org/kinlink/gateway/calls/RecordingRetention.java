package org.kinlink.gateway.calls;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.calls.recording.RecordingStore;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call's recordings are kept for its establishments' recording retention after the call ends
 * (each establishment's {@code recording_retention_days}, default {@link CallSettings#DEFAULT_RECORDING_RETENTION};
 * an inter-prison call's for the longer of the two), then their chunks and data keys are deleted;
 * what they were (call, size, length, the audit entries) stays. Security of either establishment
 * holds a call's recordings (audited, with a reason) so they are kept until every hold is lifted.
 * Any node may sweep: deleting is idempotent, and each deletion is audited once per establishment.
 */
final class RecordingRetention {
  private static final Logger log = LoggerFactory.getLogger(RecordingRetention.class);
  static final Duration SWEEP_EVERY = Duration.ofMinutes(10);
  static final int BATCH = 100;
  static final String HOLD = "hold:";

  private final Redis redis;
  private final RecordingStore chunks;
  private final CallStore store;
  private final AuditLog audit;
  private final Clock clock;
  private long timer = -1;

  RecordingRetention(Redis redis, RecordingStore chunks, CallStore store, AuditLog audit, Clock clock) {
    this.redis = redis;
    this.chunks = chunks;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  /** A recorded call has ended: it is listed under each of its establishments and its retention time starts. */
  Future<Void> ended(JsonObject call) {
    if (!call.getJsonObject("obligations", new JsonObject()).getBoolean("record", false)) {
      return Future.succeededFuture();
    }
    String id = call.getString("id");
    double start = Instant.parse(call.getString("start")).toEpochMilli();
    double end = Instant.parse(call.getString("ended_at", clock.instant().toString())).toEpochMilli();
    List<Future<?>> all = new ArrayList<>();
    for (Object e : call.getJsonArray("establishments")) {
      String est = String.valueOf(e);
      all.add(redis.<Long>call(c -> c.zadd(Keys.recordedCallsOfEstablishment(est), start, id)));
      all.add(redis.<Long>call(c -> c.zadd(Keys.recordingRetention(est), end, id)));
    }
    return Future.all(all).mapEmpty();
  }

  void start(Vertx vertx) {
    timer = vertx.setPeriodic(SWEEP_EVERY.toMillis(), t -> sweep().onFailure(e -> log.warn("recording retention sweep failed: {}", e.toString())));
  }

  void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Deletes the recordings whose time is up in every establishment of their call (and not held); answers how many calls' recordings. */
  Future<Integer> sweep() {
    return store.establishments().compose(ests -> {
      Future<Integer> done = Future.succeededFuture(0);
      for (String est : ests) {
        done = done.compose(n -> sweep(est).map(k -> n + k));
      }
      return done;
    });
  }

  private Future<Integer> sweep(String est) {
    return store.settings(est).compose(mine -> {
      double cutoff = clock.millis() - mine.recordingRetention().toMillis();
      return redis.<List<ScoredValue<String>>>call(c -> c.zrangebyscoreWithScores(Keys.recordingRetention(est),
          Range.create(Double.NEGATIVE_INFINITY, cutoff), Limit.create(0, BATCH))).compose(due -> {
            Future<Integer> done = Future.succeededFuture(0);
            for (ScoredValue<String> d : due) {
              done = done.compose(n -> expire(est, mine, d.getValue(), (long) d.getScore()).map(deleted -> n + (deleted ? 1 : 0)));
            }
            return done;
          });
    });
  }

  private Future<Boolean> expire(String est, CallSettings mine, String callId, long endedAt) {
    return store.get(callId).compose(found -> {
      if (found.isEmpty()) {
        return forget(est, callId).map(false);
      }
      JsonObject call = found.get();
      List<String> ests = call.getJsonArray("establishments").stream().map(String::valueOf).toList();
      return Future.all(ests.stream().map(store::settings).toList()).compose(all -> {
        Duration longest = all.<CallSettings>list().stream().map(CallSettings::recordingRetention).max(Duration::compareTo)
            .orElse(mine.recordingRetention());
        if (clock.millis() < endedAt + longest.toMillis()) {
          // another establishment keeps it longer: look again when its time is up there too
          double later = endedAt + longest.toMillis() - mine.recordingRetention().toMillis();
          return redis.<Long>call(c -> c.zadd(Keys.recordingRetention(est), later, callId)).map(false);
        }
        return redis.<Map<String, String>>call(c -> c.hgetall(Keys.callRecordings(callId))).compose(h -> {
          if (h.keySet().stream().anyMatch(k -> k.startsWith(HOLD))) {
            // held: out of the sweep until the last hold is lifted, which starts it again
            return forget(est, callId).map(false);
          }
          return delete(call, h, longest).compose(deleted -> forget(est, callId).map(deleted));
        });
      });
    });
  }

  /** Deletes what is left of a call's recordings; false when another establishment's sweep got there first. */
  private Future<Boolean> delete(JsonObject call, Map<String, String> h, Duration kept) {
    String callId = call.getString("id");
    List<String> recordings = Recordings.ids(h).stream().filter(r -> !h.containsKey(r + ":deleted_at")).toList();
    if (recordings.isEmpty()) {
      return Future.succeededFuture(false);
    }
    // audited first, each entry under a change id of its own (the chain keeps it once), then deleted:
    // a node dying in between leaves the recording for the next sweep, which audits nothing twice
    Future<Void> chain = Future.succeededFuture();
    for (Object e : call.getJsonArray("establishments")) {
      String est = String.valueOf(e);
      AuditEvent event = AuditEvent.of("call.recording.retention.delete").actor("system", "SYSTEM").establishment(est)
          .prisoner(call.getString("prisoner_id")).contact(call.getString("contact_id")).outcome("DELETED")
          .detail("call_id", callId).detail("recordings", new JsonArray(recordings)).detail("retention_days", kept.toDays())
          .build().withChangeId("recording-retention:" + callId + ":" + est);
      chain = chain.compose(v -> audit.append(event)).mapEmpty();
    }
    String now = clock.instant().toString();
    for (String rec : recordings) {
      chain = chain
          .compose(v -> chunks.deleteChunks(rec))
          .compose(v -> redis.<Long>call(c -> c.hdel(Keys.callRecordings(callId), rec + ":key")))
          .compose(v -> redis.<Boolean>call(c -> c.hset(Keys.callRecordings(callId), rec + ":deleted_at", now))).mapEmpty();
    }
    return chain.map(true);
  }

  private Future<Void> forget(String est, String callId) {
    return redis.<Long>call(c -> c.zrem(Keys.recordingRetention(est), callId)).mapEmpty();
  }

  /** {@code PUT /api/v1/calls/{id}/recordings/hold}: security of one of the call's establishments holds its recordings, or lifts its hold. */
  Future<JsonObject> hold(Principal p, JsonObject call, boolean on, String reason) {
    if (p.role() != Role.SECURITY) {
      return Future.failedFuture(ApiException.forbidden("Only security staff hold recordings."));
    }
    if (reason == null || reason.isBlank()) {
      return Future.failedFuture(ApiException.unprocessable("REASON_REQUIRED", "Say why (it is kept in the audit log).", "reason"));
    }
    String callId = call.getString("id");
    String field = HOLD + p.establishment();
    JsonObject hold = new JsonObject().put("by", p.accountId()).put("reason", reason).put("at", clock.instant().toString());
    AuditEvent event = AuditEvent.by(p, on ? "call.recording.hold" : "call.recording.release").establishment(p.establishment())
        .prisoner(call.getString("prisoner_id")).contact(call.getString("contact_id")).outcome("OK")
        .detail("call_id", callId).detail("reason", reason).build();
    // audited first: a hold that is not on the record must not be relied on, and a lifted hold is only lifted once written down
    return audit.append(event)
        .compose(e -> on ? redis.<Boolean>call(c -> c.hset(Keys.callRecordings(callId), field, hold.encode())).mapEmpty()
            : redis.<Long>call(c -> c.hdel(Keys.callRecordings(callId), field)).compose(n -> restart(call)))
        .compose(v -> redis.<Map<String, String>>call(c -> c.hgetall(Keys.callRecordings(callId))))
        .map(h -> new JsonObject().put("call_id", callId).put("held", h.containsKey(field)).put("holds", holds(h)));
  }

  /** The last hold lifted: an ended call's recordings go back into the sweep (deleted at once if their time is up). */
  private Future<Void> restart(JsonObject call) {
    if (!CallState.valueOf(call.getString("state")).isFinal() || !call.containsKey("ended_at")) {
      return Future.succeededFuture();
    }
    double ended = Instant.parse(call.getString("ended_at")).toEpochMilli();
    List<Future<?>> all = new ArrayList<>();
    for (Object e : call.getJsonArray("establishments")) {
      all.add(redis.<Long>call(c -> c.zadd(Keys.recordingRetention(String.valueOf(e)), ended, call.getString("id"))));
    }
    return Future.all(all).mapEmpty();
  }

  /** The establishments holding a call's recordings. */
  static JsonArray holds(Map<String, String> h) {
    return new JsonArray(h.keySet().stream().filter(k -> k.startsWith(HOLD)).map(k -> k.substring(HOLD.length())).sorted().toList());
  }
}
