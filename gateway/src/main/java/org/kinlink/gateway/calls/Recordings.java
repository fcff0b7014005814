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
import org.kinlink.gateway.calls.recording.RecordingStore;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.media.embedded.EmbeddedMediaBackend;

/**
 * Recordings of the embedded backend: the kiosk records the call (MediaRecorder) and uploads each
 * slice as it is, in order; each is sealed with AES-256-GCM under the recording's own data key (wrapped
 * by the master key, bound to the recording id) before it is written ({@link RecordingStore}: a file
 * per chunk, counted once per seq in Redis), so nothing stored holds plaintext. Playback hands the
 * module one chunk at a time.
 * Every chunk also tells the backend the recorder is alive; silence ends the call (see {@link Calls#RECORDER_SILENCE}).
 * Security of the call's establishments list and play recordings; every access is audited with its reason.
 */
final class Recordings {
  /**
   * Largest chunk accepted: eight times a one-second slice at call.js's 1,064 kbit/s (about 133 KB), so
   * a burst (a key frame after the picture changes) still fits, and a request holds at most this much.
   */
  static final int MAX_CHUNK_BYTES = 1024 * 1024;
  private static final java.util.regex.Pattern MEDIA_TYPE = java.util.regex.Pattern.compile("[A-Za-z]+/[-A-Za-z0-9.+]+(;[ -~]*)?");

  private final Vertx vertx;
  private final Redis redis;
  private final RecordingStore chunks;
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

  Recordings(Vertx vertx, Redis redis, RecordingStore chunks, CallStore store, CallsService calls, EmbeddedMediaBackend media,
      MasterKey masterKey, AuditLog audit, RecordingRetention retention, Clock clock) {
    this.retention = retention;
    this.chunks = chunks;
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

  /** The refusal of an empty chunk or one over {@link #MAX_CHUNK_BYTES} ({@code bytes} -1: over, size unknown), the same from the body reader and from here. */
  static ApiException chunkSizeRefused(long bytes) {
    String limit = MAX_CHUNK_BYTES / 1024 + " KiB (" + MAX_CHUNK_BYTES + " bytes)";
    return new ApiException(413, "CHUNK_TOO_LARGE", bytes == 0
        ? "This recording chunk is empty: send the MediaRecorder slice as the body, 1 byte to " + limit + "."
        : "A recording chunk may be at most " + limit + "; this one " + (bytes > 0 ? "has " + bytes + " bytes" : "is larger")
            + ". Record shorter slices or at a lower bitrate.", null, null, null);
  }

  /**
   * {@code POST /api/v1/calls/{id}/recording/chunks?seq=&mime=}: the recording kiosk's next chunk, the
   * MediaRecorder slice itself as the body. Each seq is stored once: a retry answers as the first did.
   */
  Future<JsonObject> chunk(Principal p, String callId, long seq, byte[] data, String mime) {
    if (p.role() != Role.PRISONER) {
      throw ApiException.forbidden("Only the kiosk in the call records it.");
    }
    if (seq < 0) {
      throw ApiException.badRequest("INVALID_PARAMETER", "The query parameter 'seq' must be 0 or more.", "seq");
    }
    if (data.length == 0 || data.length > MAX_CHUNK_BYTES) {
      throw chunkSizeRefused(data.length);
    }
    if (mime != null && !MEDIA_TYPE.matcher(mime).matches()) {
      // played back as the Content-Type: nothing but a plain media type goes in a header
      throw ApiException.badRequest("INVALID_PARAMETER", "The query parameter 'mime' must be a media type such as video/webm.", "mime");
    }
    return calls.visibleCall(p, callId).compose(c -> {
      if (!CallState.RUNNING.contains(CallState.valueOf(c.getString("state")))) {
        return Future.failedFuture(ApiException.conflict("CALL_NOT_RUNNING", "This call is not live."));
      }
      if (!c.getJsonObject("obligations", new JsonObject()).getBoolean("record", false)) {
        return Future.failedFuture(ApiException.conflict("NOT_RECORDED", "This call is not recorded."));
      }
      String rec = recordingId(callId, p.personId());
      return dataKey(c, rec, mime).compose(key -> chunks.put(rec, seq, key, data, clock.instant()))
          .compose(fresh -> Future.fromCompletionStage(media.chunk(callId)))
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

  /** The counters of each recording in a call's recordings hash, in {@link #ids} order. */
  private Future<List<RecordingStore.Counts>> counts(Map<String, String> h) {
    return Future.all(ids(h).stream().map(chunks::counts).toList()).map(all -> all.<RecordingStore.Counts>list());
  }

  /** What security sees of one recording: the call, who was in it (names), when, how long, how big, whether held or deleted. */
  private static JsonObject item(JsonObject call, Map<String, String> h, String rec, RecordingStore.Counts n) {
    JsonObject j = new JsonObject().put("id", rec).put("call_id", call.getString("id")).put("call_start", call.getString("start"))
        .put("participants", new JsonArray(CallsService.participants(call).stream().map(x -> {
          JsonObject who = new JsonObject().put("name", x.getString("name")).put("kind", x.getString("kind"));
          if (x.containsKey("prison_number")) {
            who.put("prison_number", x.getString("prison_number"));
          }
          return who;
        }).toList()))
        .put("started_at", h.get(rec + ":started")).put("mime", h.getOrDefault(rec + ":mime", "video/webm"))
        .put("bytes", n.bytes()).put("chunks", n.chunks())
        .put("seconds", seconds(call, h, rec, n)).put("holds", RecordingRetention.holds(h));
    if (h.containsKey(rec + ":deleted_at")) {
      j.put("deleted_at", h.get(rec + ":deleted_at"));
    }
    return j;
  }

  /** From the first chunk to one slice after the last; a recording uploaded whole (Jitsi) lasts as long as the call was live. */
  private static long seconds(JsonObject call, Map<String, String> h, String rec, RecordingStore.Counts n) {
    try {
      Instant from = Instant.parse(h.get(rec + ":started"));
      if (n.last() != null) {
        return java.time.Duration.between(from, Instant.parse(n.last())).toSeconds() + 1;
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
        .compose(h -> counts(h).compose(n -> {
          List<String> ids = ids(h);
          JsonArray items = new JsonArray();
          for (int i = 0; i < ids.size(); i++) {
            items.add(item(c, h, ids.get(i), n.get(i)));
          }
          return audit.append(AuditEvent.by(p, "call.recordings.list").establishment(p.establishment())
                  .prisoner(c.getString("prisoner_id")).contact(c.getString("contact_id")).outcome("OK")
                  .detail("call_id", callId).detail("reason", reason).build())
              .map(e -> new JsonObject().put("items", items).put("next_cursor", (String) null)
                  .put("held", h.containsKey(RecordingRetention.HOLD + p.establishment())).put("holds", RecordingRetention.holds(h)));
        })));
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
          Future<List<List<RecordingStore.Counts>>> counted = Future.all(hashes).compose(all ->
              Future.all(all.<Map<String, String>>list().stream().map(this::counts).toList()).map(n -> n.<List<RecordingStore.Counts>>list()));
          return store.getAll(page).compose(found -> counted.map(counts -> {
            Map<String, JsonObject> byId = new java.util.HashMap<>();
            found.forEach(c -> byId.put(c.getString("id"), c));
            JsonArray items = new JsonArray();
            for (int i = 0; i < page.size(); i++) {
              JsonObject c = byId.get(page.get(i));
              Map<String, String> h = hashes.get(i).result();
              if (c != null && c.getJsonArray("establishments").contains(est)) {
                List<String> recs = ids(h);
                for (int k = 0; k < recs.size(); k++) {
                  items.add(item(c, h, recs.get(k), counts.get(i).get(k)));
                }
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

  /**
   * A recording ready to be played: its media type, how many seqs to read ({@code chunks}, gaps
   * included) and each chunk opened on demand (null for a gap), so the player holds one chunk at a time.
   */
  record Playback(String mime, long chunks, java.util.function.LongFunction<Future<Buffer>> chunk) {}

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
                ? Future.succeededFuture(c) : Future.failedFuture(deleted(gone))))
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
              if (h.containsKey(recordingId + ":deleted_at") || !h.containsKey(recordingId + ":key")) {
                // the retention sweep got there between the check and now
                return Future.failedFuture(deleted(h.getOrDefault(recordingId + ":deleted_at", clock.instant().toString())));
              }
              byte[] key = masterKey.unwrap(Base64.getDecoder().decode(h.get(recordingId + ":key")),
                  recordingId.getBytes(StandardCharsets.UTF_8));
              return chunks.counts(recordingId).map(n -> new Playback(h.getOrDefault(recordingId + ":mime", "video/webm"),
                  n.next(), seq -> chunks.open(recordingId, seq, key)));
            }));
  }

  private static ApiException deleted(String when) {
    return new ApiException(410, "RECORDING_DELETED",
        "This recording was deleted on " + when.substring(0, 10) + " at the end of its retention time.", null, null, null);
  }

  private static void requireSecurity(Principal p) {
    if (p.role() != Role.SECURITY) {
      throw ApiException.forbidden("Only security staff list and play recordings.");
    }
  }
}
