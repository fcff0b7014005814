package org.kinlink.gateway.calls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
  private final Clock clock;

  Recordings(Vertx vertx, Redis redis, CallStore store, CallsService calls, EmbeddedMediaBackend media, MasterKey masterKey,
      AuditLog audit, Clock clock) {
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
          .compose(fresh -> !fresh ? Future.succeededFuture(0L) // a retried chunk: stored once
              : redis.<Long>call(r -> r.hincrby(Keys.callRecordings(callId), rec + ":bytes", data.length))
                  .compose(n -> redis.<Long>call(r -> r.hincrby(Keys.callRecordings(callId), rec + ":chunks", 1))))
          .compose(n -> Future.fromCompletionStage(media.chunk(callId)))
          .map(v -> new JsonObject().put("recording_id", rec).put("seq", seq));
    });
  }

  private Future<byte[]> dataKey(JsonObject call, String rec, String mime) {
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

  /** {@code GET /api/v1/calls/{id}/recordings}: security of the call's establishments. */
  Future<JsonObject> list(Principal p, String callId, String reason) {
    requireSecurity(p);
    return calls.visibleCall(p, callId).compose(c -> redis.<Map<String, String>>call(r -> r.hgetall(Keys.callRecordings(callId)))
        .compose(h -> {
          JsonArray items = new JsonArray();
          h.keySet().stream().filter(k -> k.endsWith(":key")).sorted().forEach(k -> {
            String rec = k.substring(0, k.length() - 4);
            items.add(new JsonObject().put("id", rec).put("call_id", callId).put("started_at", h.get(rec + ":started"))
                .put("mime", h.getOrDefault(rec + ":mime", "video/webm"))
                .put("bytes", Long.parseLong(h.getOrDefault(rec + ":bytes", "0")))
                .put("chunks", Long.parseLong(h.getOrDefault(rec + ":chunks", "0"))));
          });
          return audit.append(AuditEvent.by(p, "call.recordings.list").establishment(p.establishment())
                  .prisoner(c.getString("prisoner_id")).contact(c.getString("contact_id")).outcome("OK")
                  .detail("call_id", callId).detail("reason", reason).build())
              .map(e -> new JsonObject().put("items", items).put("next_cursor", (String) null));
        }));
  }

  /** A recording decrypted for playback, with its media type. */
  record Playback(String mime, Buffer body) {}

  /** {@code GET /api/v1/recordings/{id}?reason=}: security plays a recording; audited with the reason first. */
  Future<Playback> play(Principal p, String recordingId, String reason) {
    requireSecurity(p);
    return redis.<String>call(r -> r.get(Keys.recordingCall(recordingId))).compose(callId -> callId == null
        ? Future.failedFuture(ApiException.notFound("There is no recording " + recordingId + "."))
        : calls.visibleCall(p, callId).recover(e -> Future.failedFuture(ApiException.notFound("There is no recording " + recordingId + ".")))
            .compose(c -> audit.append(AuditEvent.by(p, "call.recording.play").establishment(p.establishment())
                .prisoner(c.getString("prisoner_id")).contact(c.getString("contact_id")).outcome("OK")
                .detail("call_id", callId).detail("recording_id", recordingId).detail("reason", reason).build()))
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
