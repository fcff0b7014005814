package org.kinlink.gateway.calls;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.crypto.Aead;
import org.kinlink.gateway.crypto.MasterKey;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.media.embedded.EmbeddedMediaBackend;

/**
 * Recordings of the embedded backend: the kiosk records the call (MediaRecorder) and uploads its
 * chunks in order; each is sealed with AES-256-GCM under the recording's own data key (wrapped by the
 * master key, bound to the recording id) before it reaches Redis, so the store never holds plaintext.
 * Every chunk also tells the backend the recorder is alive; silence ends the call (see {@link Calls#RECORDER_SILENCE}).
 * Security of the call's establishments list and play recordings; every access is audited with its reason.
 */
final class Recordings {
  /** Largest chunk accepted (MediaRecorder at one-second slices stays far below). */
  static final int MAX_CHUNK_BYTES = 512 * 1024;

  private final Vertx vertx;
  private final Redis redis;
  private final CallStore store;
  private final CallsService calls;
  private final EmbeddedMediaBackend media;
  private final MasterKey masterKey;
  private final AuditLog audit;
  private final RecordingRetention retention;
  private final Clock clock;
  /** Unwrapped data keys of recordings this node takes chunks for: a chunk every 500 ms would otherwise read and unwrap its key each time. */
  private final Cache<String, byte[]> dataKeys = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterAccess(java.time.Duration.ofHours(1)).build();

  Recordings(Vertx vertx, Redis redis, CallStore store, CallsService calls, EmbeddedMediaBackend media, MasterKey masterKey,
      AuditLog audit, RecordingRetention retention, Clock clock) {
    this.retention = retention;
    this.vertx = vertx;
    this.redis = redis;
    this.store = store;
    this.calls = calls;
    this.media = media;
    this.masterKey = masterKey;
    this.audit = audit;
    this.clock = clock;
  }

  static String recordingId(String callId, String participantId) {
    return "rec-" + callId.substring("call-".length()) + "-" + participantId;
  }

  /** {@code POST /api/v1/calls/{id}/recording/chunks}: the recording kiosk's next chunk. */
  Future<JsonObject> chunk(Principal p, String callId, long seq, String base64, String mime) {
    if (p.role() != Role.PRISONER) {
      throw ApiException.forbidden("Only the kiosk in the call records it.");
    }
    byte[] data;
    try {
      data = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("BAD_CHUNK", "data must be base64.", "data");
    }
    if (data.length == 0 || data.length > MAX_CHUNK_BYTES) {
      throw ApiException.unprocessable("BAD_CHUNK", "A chunk holds 1 byte to " + MAX_CHUNK_BYTES + " bytes.", "data");
    }
    return calls.visibleCall(p, callId).compose(c -> {
      if (!CallState.RUNNING.contains(CallState.valueOf(c.getString("state")))) {
        return Future.failedFuture(ApiException.conflict("CALL_NOT_RUNNING", "This call is not live."));
      }
      if (!c.getJsonObject("obligations", new JsonObject()).getBoolean("record", false)) {
        return Future.failedFuture(ApiException.conflict("NOT_RECORDED", "This call is not recorded."));
      }
      String rec = recordingId(callId, p.personId());
      return dataKey(c, rec, mime).compose(key -> vertx.executeBlocking(() ->
              Aead.seal(key, data, (rec + ":" + seq).getBytes(StandardCharsets.UTF_8)), false))
          .compose(sealed -> redis.<Boolean>call(r -> r.setnx(Keys.recordingChunk(rec, seq), Base64.getEncoder().encodeToString(sealed))))
          .compose(fresh -> !fresh ? Future.<Void>succeededFuture() // a retried chunk: stored once
              : redis.<Long>call(r -> r.hincrby(Keys.callRecordings(callId), rec + ":bytes", data.length))
                  .compose(n -> redis.<Long>call(r -> r.hincrby(Keys.callRecordings(callId), rec + ":chunks", 1)))
                  .compose(n -> redis.<Boolean>call(r -> r.hset(Keys.callRecordings(callId), rec + ":last", clock.instant().toString())))
                  .<Void>mapEmpty())
          .compose(n -> Future.fromCompletionStage(media.chunk(callId)))
          .map(v -> new JsonObject().put("recording_id", rec).put("seq", seq));
    });
  }

  private Future<byte[]> dataKey(JsonObject call, String rec, String mime) {
    byte[] cached = dataKeys.getIfPresent(rec);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return storedOrNewDataKey(call, rec, mime).onSuccess(key -> dataKeys.put(rec, key));
  }

  private Future<byte[]> storedOrNewDataKey(JsonObject call, String rec, String mime) {
    String hash = Keys.callRecordings(call.getString("id"));
    byte[] aad = rec.getBytes(StandardCharsets.UTF_8);
    byte[] fresh = Aead.newKey();
    String wrapped = Base64.getEncoder().encodeToString(masterKey.wrap(fresh, aad));
    return redis.<Boolean>call(r -> r.hsetnx(hash, rec + ":key", wrapped)).compose(created -> {
      if (created) {
        return redis.<Long>call(r -> r.hset(hash, Map.of(rec + ":started", clock.instant().toString(),
                rec + ":mime", mime == null ? "video/webm" : mime)))
            .compose(x -> redis.<String>call(r -> r.set(Keys.recordingCall(rec), call.getString("id"))))
            .map(x -> fresh);
      }
      return redis.<String>call(r -> r.hget(hash, rec + ":key"))
          .map(w -> masterKey.unwrap(Base64.getDecoder().decode(w), aad));
    });
  }

  /** The recording ids in a call's recordings hash (deleted ones too: their metadata stays). */
  static List<String> ids(Map<String, String> h) {
    return h.keySet().stream().filter(k -> k.endsWith(":started") && k.startsWith("rec-"))
        .map(k -> k.substring(0, k.length() - ":started".length())).sorted().toList();
  }

  /** What security sees of one recording: the call, who was in it (names), when, how long, how big, whether held or deleted. */
  private static JsonObject item(JsonObject call, Map<String, String> h, String rec) {
    JsonObject j = new JsonObject().put("id", rec).put("call_id", call.getString("id")).put("call_start", call.getString("start"))
        .put("participants", new JsonArray(CallsService.participants(call).stream().map(x -> {
          JsonObject who = new JsonObject().put("name", x.getString("name")).put("kind", x.getString("kind"));
          if (x.containsKey("prison_number")) {
            who.put("prison_number", x.getString("prison_number"));
          }
          return who;
        }).toList()))
        .put("started_at", h.get(rec + ":started")).put("mime", h.getOrDefault(rec + ":mime", "video/webm"))
        .put("bytes", Long.parseLong(h.getOrDefault(rec + ":bytes", "0")))
        .put("chunks", Long.parseLong(h.getOrDefault(rec + ":chunks", "0")))
        .put("seconds", seconds(call, h, rec)).put("holds", RecordingRetention.holds(h));
    if (h.containsKey(rec + ":deleted_at")) {
      j.put("deleted_at", h.get(rec + ":deleted_at"));
    }
    return j;
  }

  /** From the first chunk to one slice after the last; a recording uploaded whole (Jitsi) lasts as long as the call was live. */
  private static long seconds(JsonObject call, Map<String, String> h, String rec) {
    try {
      Instant from = Instant.parse(h.get(rec + ":started"));
      if (h.containsKey(rec + ":last")) {
        return java.time.Duration.between(from, Instant.parse(h.get(rec + ":last"))).toSeconds() + 1;
      }
      Instant live = call.getJsonArray("history").stream().map(JsonObject.class::cast)
          .filter(x -> "LIVE".equals(x.getString("state"))).map(x -> Instant.parse(x.getString("at"))).findFirst().orElse(from);
      return call.containsKey("ended_at") ? Math.max(0, java.time.Duration.between(live, Instant.parse(call.getString("ended_at"))).toSeconds()) : 0;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** {@code GET /api/v1/calls/{id}/recordings}: security of the call's establishments. */
  Future<JsonObject> list(Principal p, String callId, String reason) {
    requireSecurity(p);
    return calls.visibleCall(p, callId).compose(c -> redis.<Map<String, String>>call(r -> r.hgetall(Keys.callRecordings(callId)))
        .compose(h -> {
          JsonArray items = new JsonArray(ids(h).stream().map(rec -> item(c, h, rec)).toList());
          return audit.append(AuditEvent.by(p, "call.recordings.list").establishment(p.establishment())
                  .prisoner(c.getString("prisoner_id")).contact(c.getString("contact_id")).outcome("OK")
                  .detail("call_id", callId).detail("reason", reason).build())
              .map(e -> new JsonObject().put("items", items).put("next_cursor", (String) null)
                  .put("held", h.containsKey(RecordingRetention.HOLD + p.establishment())).put("holds", RecordingRetention.holds(h)));
        }));
  }

  /**
   * {@code GET /api/v1/recordings}: the recordings of the establishment's ended calls, newest call
   * first, paged by call ({@code limit} calls a page); audited as one list access per page.
   */
  Future<JsonObject> listEstablishment(Principal p, String cursor, int limit) {
    requireSecurity(p);
    if (limit < 1 || limit > 100) {
      throw ApiException.badRequest("BAD_LIMIT", "limit is 1 to 100.", "limit");
    }
    long offset = CallsService.cursorOffset(cursor);
    String est = p.establishment();
    return redis.<List<String>>call(r -> r.zrevrange(Keys.recordedCallsOfEstablishment(est), offset, offset + limit))
        .compose(ids -> {
          boolean more = ids.size() > limit;
          List<String> page = more ? ids.subList(0, limit) : ids;
          List<Future<Map<String, String>>> hashes = page.stream()
              .map(id -> redis.<Map<String, String>>call(r -> r.hgetall(Keys.callRecordings(id)))).toList();
          return store.getAll(page).compose(found -> Future.all(hashes).map(all -> {
            Map<String, JsonObject> byId = new java.util.HashMap<>();
            found.forEach(c -> byId.put(c.getString("id"), c));
            JsonArray items = new JsonArray();
            for (int i = 0; i < page.size(); i++) {
              JsonObject c = byId.get(page.get(i));
              Map<String, String> h = all.resultAt(i);
              if (c != null && c.getJsonArray("establishments").contains(est)) {
                ids(h).forEach(rec -> items.add(item(c, h, rec)));
              }
            }
            return new JsonObject().put("items", items).put("next_cursor", more ? CallsService.cursor(offset + limit) : null);
          })).compose(answer -> audit.append(AuditEvent.by(p, "call.recordings.list").establishment(est).outcome("OK")
              .detail("scope", "establishment").detail("count", answer.getJsonArray("items").size()).build()).map(e -> answer));
        });
  }

  /** {@code PUT /api/v1/calls/{id}/recordings/hold}. */
  Future<JsonObject> hold(Principal p, String callId, Boolean on, String reason) {
    requireSecurity(p);
    if (on == null) {
      throw ApiException.badRequest("HELD_REQUIRED", "Say whether the recordings are held (true) or not (false).", "held");
    }
    return calls.visibleCall(p, callId).compose(c -> retention.hold(p, c, on, reason));
  }

  /** A recording decrypted for playback, with its media type. */
  record Playback(String mime, Buffer body) {}

  /** {@code GET /api/v1/recordings/{id}?reason=}: security plays a recording; audited with the reason first. */
  Future<Playback> play(Principal p, String recordingId, String reason) {
    requireSecurity(p);
    if (reason == null || reason.isBlank()) {
      throw ApiException.badRequest("REASON_REQUIRED", "Say why you are playing this recording (it is kept in the audit log).", "reason");
    }
    return redis.<String>call(r -> r.get(Keys.recordingCall(recordingId))).compose(callId -> callId == null
        ? Future.failedFuture(ApiException.notFound("There is no recording " + recordingId + "."))
        : calls.visibleCall(p, callId).recover(e -> Future.failedFuture(ApiException.notFound("There is no recording " + recordingId + ".")))
            .compose(c -> redis.<String>call(r -> r.hget(Keys.callRecordings(callId), recordingId + ":deleted_at")).compose(gone -> gone == null
                ? Future.succeededFuture(c) : Future.failedFuture(new ApiException(410, "RECORDING_DELETED",
                    "This recording was deleted on " + gone.substring(0, 10) + " at the end of its retention time.", null, null, null))))
            .compose(c -> calls.mayViewRecording(p, c).compose(d -> {
              boolean privileged = c.getJsonObject("obligations", new JsonObject()).getBoolean("privileged", false);
              boolean allowed = d != null && d.permitted() && !privileged;
              AuditEvent ev = AuditEvent.by(p, "call.recording.play").establishment(p.establishment())
                  .prisoner(c.getString("prisoner_id")).contact(c.getString("contact_id")).outcome(allowed ? "OK" : "DENY")
                  .detail("call_id", callId).detail("recording_id", recordingId).detail("reason", reason)
                  .detail("rules", CallsService.rulesOf(d)).build();
              // audited either way, before a byte is decrypted
              return audit.append(ev).compose(e -> allowed ? Future.succeededFuture(e)
                  : Future.failedFuture(new ApiException(403, "RECORDING_REFUSED", privileged
                      ? "This was a privileged call: its recordings are never played." : CallsService.refusalForStaff(d), null, null, null)));
            }))
            .compose(e -> redis.<Map<String, String>>call(r -> r.hgetall(Keys.callRecordings(callId))))
            .compose(h -> {
              long chunks = Long.parseLong(h.getOrDefault(recordingId + ":chunks", "0"));
              byte[] key = masterKey.unwrap(Base64.getDecoder().decode(h.get(recordingId + ":key")),
                  recordingId.getBytes(StandardCharsets.UTF_8));
              String[] keys = new String[(int) chunks];
              for (int i = 0; i < chunks; i++) {
                keys[i] = Keys.recordingChunk(recordingId, i);
              }
              Future<List<io.lettuce.core.KeyValue<String, String>>> sealed = chunks == 0 ? Future.succeededFuture(List.of())
                  : redis.call(r -> r.mget(keys));
              return sealed.compose(values -> vertx.executeBlocking(() -> {
                Buffer out = Buffer.buffer();
                List<String> missing = new ArrayList<>();
                for (int i = 0; i < values.size(); i++) {
                  var kv = values.get(i);
                  if (!kv.hasValue()) {
                    missing.add(Integer.toString(i));
                    continue;
                  }
                  out.appendBytes(Aead.open(key, Base64.getDecoder().decode(kv.getValue()),
                      (recordingId + ":" + i).getBytes(StandardCharsets.UTF_8)));
                }
                return new Playback(h.getOrDefault(recordingId + ":mime", "video/webm"), out);
              }, false));
            }));
  }

  private static void requireSecurity(Principal p) {
    if (p.role() != Role.SECURITY) {
      throw ApiException.forbidden("Only security staff list and play recordings.");
    }
  }
}
