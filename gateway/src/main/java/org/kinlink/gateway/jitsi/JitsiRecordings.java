package org.kinlink.gateway.jitsi;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.calls.recording.RecordingStore;
import org.kinlink.gateway.crypto.Aead;
import org.kinlink.gateway.crypto.MasterKey;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Finished Jibri recordings, as Jibri's finalize script uploads them ({@code PUT
 * /jitsi/recordings/<session id>}, bearer secret). They go into the recording store exactly as the
 * embedded backend's do ({@link RecordingStore}: exact 512 KiB chunks, each sealed with AES-256-GCM
 * under the recording's own data key, wrapped by the master key and bound to the recording id, kept as a
 * file and counted once per seq by the same script; the recording listed in {@code Keys.callRecordings}),
 * so security lists and plays them in {@code /security/} like the others. The upload is read a chunk at
 * a time (paused while one is sealed and stored), never whole into memory.
 *
 * <p>A repeated upload of a finished session (the script retries) has no second effect. The upload
 * marker is {@code jitsi:upload:{session}} -> recording id, then {@code done}; an upload that died
 * half-way leaves the id, and the next attempt clears what it stored before starting again.
 */
final class JitsiRecordings {
  static final int CHUNK_BYTES = 512 * 1024;
  private final Redis redis;
  private final RecordingStore chunks;
  private final MasterKey masterKey;
  private final AuditLog audit;
  private final Clock clock;

  JitsiRecordings(Redis redis, RecordingStore chunks, MasterKey masterKey, AuditLog audit, Clock clock) {
    this.redis = redis;
    this.chunks = chunks;
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
    TooLarge() {
      super("the recording is larger than the limit", null, false, false);
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
      // an attempt that died half-way stored chunks under another data key: they go before this one's
      Future<Void> clean = rec.equals(mark) ? chunks.forget(rec) : Future.succeededFuture();
      byte[] dataKey = Aead.newKey();
      byte[] aad = rec.getBytes(StandardCharsets.UTF_8);
      String wrapped = Base64.getEncoder().encodeToString(masterKey.wrap(dataKey, aad));
      String hash = Keys.callRecordings(callId);
      return clean.compose(x -> redis.call(c -> c.set(markerKey(session), rec)))
          .compose(x -> redis.call(c -> c.hset(hash, Map.of(rec + ":key", wrapped, rec + ":started", clock.instant().toString(),
              rec + ":mime", mime))))
          .compose(x -> redis.call(c -> c.set(Keys.recordingCall(rec), callId)))
          .compose(x -> readAll(req, rec, dataKey, maxBytes))
          .recover(err -> err instanceof TooLarge
              ? forget(callId, session, rec).compose(v -> Future.<long[]>failedFuture(err))
              : Future.failedFuture(err))
          .compose(counts -> audit.append(AuditEvent.of("call.recording.stored").actor("jitsi-jibri", "SYSTEM").outcome("OK")
                  .detail("call_id", callId).detail("recording_id", rec).detail("bytes", counts[1]).build())
              .compose(x -> redis.call(c -> c.set(markerKey(session), "done")))
              .map(x -> new Stored(rec, counts[1], false)));
    });
  }

  /** Takes back what a refused upload stored: security never sees half a recording. */
  private Future<Void> forget(String callId, String session, String rec) {
    return chunks.forget(rec)
        .compose(v -> redis.call(c -> c.hdel(Keys.callRecordings(callId), rec + ":key", rec + ":started", rec + ":mime")))
        .compose(v -> redis.call(c -> c.del(markerKey(session))))
        .mapEmpty();
  }

  /** Stores the body in sealed chunks of exactly {@link #CHUNK_BYTES} (the last one shorter); answers {chunks, bytes}. */
  private Future<long[]> readAll(HttpServerRequest req, String rec, byte[] dataKey, long maxBytes) {
    Promise<long[]> done = Promise.promise();
    long[] counts = {0, 0};
    long[] read = {0};
    Buffer[] pending = {Buffer.buffer()};
    Future<?>[] chain = {Future.succeededFuture()};
    req.handler(buf -> {
      if (done.future().isComplete()) {
        return;
      }
      read[0] += buf.length();
      if (read[0] > maxBytes) {
        req.pause();
        // refused once what is on its way is stored, so that forgetting the upload finds all of it
        chain[0].onComplete(x -> done.tryFail(new TooLarge()));
        return;
      }
      pending[0].appendBuffer(buf);
      if (pending[0].length() >= CHUNK_BYTES) {
        List<Buffer> full = new java.util.ArrayList<>();
        int at = 0;
        for (; pending[0].length() - at >= CHUNK_BYTES; at += CHUNK_BYTES) {
          full.add(pending[0].getBuffer(at, at + CHUNK_BYTES));
        }
        pending[0] = pending[0].getBuffer(at, pending[0].length());
        req.pause();
        for (Buffer b : full) {
          chain[0] = chain[0].compose(x -> store(rec, dataKey, counts, b));
        }
        chain[0] = chain[0].onComplete(ar -> {
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
    return chunks.put(rec, seq, dataKey, data.getBytes(), null).map(x -> {
      counts[0]++;
      counts[1] += data.length();
      return null;
    });
  }
}
