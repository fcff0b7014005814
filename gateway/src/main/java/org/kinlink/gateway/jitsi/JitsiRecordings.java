package org.kinlink.gateway.jitsi;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.crypto.Aead;
import org.kinlink.gateway.crypto.MasterKey;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Finished Jibri recordings, as Jibri's finalize script uploads them ({@code PUT
 * /jitsi/recordings/<session id>}, bearer secret). They go into the recording store exactly as the
 * embedded backend's do (the calls capability's layout: {@code Keys.callRecordings},
 * {@code Keys.recordingChunk}, {@code Keys.recordingCall}; 512 KiB chunks, each sealed with AES-256-GCM
 * under the recording's own data key, wrapped by the master key and bound to the recording id), so
 * security lists and plays them in {@code /security/} like the others. Sealing runs on a worker; the
 * upload is read a chunk at a time (paused while one is stored), never whole into memory.
 *
 * <p>A repeated upload of a finished session (the script retries) has no second effect. The upload
 * marker is {@code jitsi:upload:{session}} -> recording id, then {@code done}.
 */
final class JitsiRecordings {
  static final int CHUNK_BYTES = 512 * 1024;
  private final Vertx vertx;
  private final Redis redis;
  private final MasterKey masterKey;
  private final AuditLog audit;
  private final Clock clock;

  JitsiRecordings(Vertx vertx, Redis redis, MasterKey masterKey, AuditLog audit, Clock clock) {
    this.vertx = vertx;
    this.redis = redis;
    this.masterKey = masterKey;
    this.audit = audit;
    this.clock = clock;
  }

  static String markerKey(String session) {
    return "jitsi:upload:{" + session + "}";
  }

  record Stored(String recordingId, long bytes, boolean replay) {}

  /** The upload went past the recording limit. */
  static final class TooLarge extends RuntimeException {
    /** Sealed chunks already stored (one more may be on its way). */
    final long stored;

    TooLarge(long stored) {
      super("the recording is larger than the limit", null, false, false);
      this.stored = stored;
    }
  }

  /** Reads the request body into the store. The request must be paused by the caller. */
  Future<Stored> upload(String callId, String session, String mime, HttpServerRequest req, long maxBytes) {
    String rec = "rec-" + callId.substring("call-".length()) + "-jibri-" + UUID.nameUUIDFromBytes(session.getBytes(StandardCharsets.UTF_8))
        .toString().substring(0, 8);
    return redis.<String>call(c -> c.get(markerKey(session))).compose(mark -> {
      if ("done".equals(mark)) {
        req.resume();
        return req.end().map(v -> new Stored(rec, 0, true));
      }
      byte[] dataKey = Aead.newKey();
      byte[] aad = rec.getBytes(StandardCharsets.UTF_8);
      String wrapped = Base64.getEncoder().encodeToString(masterKey.wrap(dataKey, aad));
      String hash = Keys.callRecordings(callId);
      return redis.call(c -> c.set(markerKey(session), rec))
          .compose(x -> redis.call(c -> c.hset(hash, Map.of(rec + ":key", wrapped, rec + ":started", clock.instant().toString(),
              rec + ":mime", mime, rec + ":chunks", "0", rec + ":bytes", "0"))))
          .compose(x -> redis.call(c -> c.set(Keys.recordingCall(rec), callId)))
          .compose(x -> readAll(req, rec, dataKey, maxBytes))
          .recover(err -> err instanceof TooLarge big
              ? forget(callId, session, rec, big.stored + 1).compose(v -> Future.<long[]>failedFuture(err))
              : Future.failedFuture(err))
          .compose(counts -> redis.call(c -> c.hset(hash, Map.of(rec + ":chunks", Long.toString(counts[0]),
                  rec + ":bytes", Long.toString(counts[1]))))
              .compose(x -> audit.append(AuditEvent.of("call.recording.stored").actor("jitsi-jibri", "SYSTEM").outcome("OK")
                  .detail("call_id", callId).detail("recording_id", rec).detail("bytes", counts[1]).build()))
              .compose(x -> redis.call(c -> c.set(markerKey(session), "done")))
              .map(x -> new Stored(rec, counts[1], false)));
    });
  }

  /** Takes back what a refused upload stored: security never sees half a recording. */
  private Future<Void> forget(String callId, String session, String rec, long chunks) {
    String[] keys = new String[(int) chunks + 2];
    for (int i = 0; i < chunks; i++) {
      keys[i] = Keys.recordingChunk(rec, i);
    }
    keys[keys.length - 2] = Keys.recordingCall(rec);
    keys[keys.length - 1] = markerKey(session);
    List<Future<?>> dels = new java.util.ArrayList<>();
    for (String k : keys) {
      dels.add(redis.call(c -> c.del(k))); // one key a command: they live in different cluster slots
    }
    dels.add(redis.call(c -> c.hdel(Keys.callRecordings(callId), rec + ":key", rec + ":started", rec + ":mime", rec + ":chunks",
        rec + ":bytes")));
    return Future.all(dels).mapEmpty();
  }

  /** Stores the body in sealed chunks; answers {chunks, bytes}. */
  private Future<long[]> readAll(HttpServerRequest req, String rec, byte[] dataKey, long maxBytes) {
    Promise<long[]> done = Promise.promise();
    long[] counts = {0, 0};
    long[] read = {0};
    Buffer[] pending = {Buffer.buffer()};
    Future<?>[] chain = {Future.succeededFuture()};
    req.handler(buf -> {
      read[0] += buf.length();
      if (read[0] > maxBytes) {
        req.pause();
        done.tryFail(new TooLarge(counts[0]));
        return;
      }
      pending[0].appendBuffer(buf);
      if (pending[0].length() >= CHUNK_BYTES) {
        Buffer full = pending[0];
        pending[0] = Buffer.buffer();
        req.pause();
        chain[0] = chain[0].compose(x -> store(rec, dataKey, counts, full)).onComplete(ar -> {
          if (ar.succeeded()) {
            req.resume();
          } else {
            done.tryFail(ar.cause());
          }
        });
      }
    });
    req.exceptionHandler(done::tryFail);
    req.endHandler(v -> {
      Buffer rest = pending[0];
      chain[0].compose(x -> rest.length() == 0 ? Future.succeededFuture() : store(rec, dataKey, counts, rest))
          .onSuccess(x -> done.tryComplete(counts)).onFailure(done::tryFail);
    });
    req.resume();
    return done.future();
  }

  private Future<Void> store(String rec, byte[] dataKey, long[] counts, Buffer data) {
    long seq = counts[0];
    return vertx.executeBlocking(() -> Aead.seal(dataKey, data.getBytes(), (rec + ":" + seq).getBytes(StandardCharsets.UTF_8)), false)
        .compose(sealed -> redis.call(c -> c.set(Keys.recordingChunk(rec, seq), Base64.getEncoder().encodeToString(sealed))))
        .map(x -> {
          counts[0]++;
          counts[1] += data.length();
          return null;
        });
  }
}
