package org.kinlink.gateway.calls.recording;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kinlink.gateway.crypto.Aead;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Where recordings' media lives: each chunk sealed with AES-256-GCM under the recording's data key
 * (bound to the recording id and seq) and kept as raw bytes, one key per seq, with the recording's
 * counters beside them in its own slot ({@code {r:<recording>}}). The kiosk's chunks and Jibri's
 * streamed upload both come through here, so security plays them the same way. Sealing and opening
 * run on a worker; nothing here holds more than one chunk.
 */
public final class RecordingStore {
  /** Chunks deleted per DEL: every chunk of a recording shares its slot, so a batch is one command even in a cluster. */
  private static final int DELETE_BATCH = 500;

  private final Vertx vertx;
  private final Redis redis;
  private final StoreChunkScript script;

  public RecordingStore(Vertx vertx, Redis redis) {
    this.vertx = vertx;
    this.redis = redis;
    this.script = new StoreChunkScript(redis);
  }

  /**
   * A recording's counters: chunks and plaintext bytes stored, {@code next} one past the highest seq
   * (playback reads 0 to next - 1, a seq never sent is a gap), {@code last} when the latest live chunk came (or null).
   */
  public record Counts(long chunks, long bytes, long next, String last) {
    public static final Counts NONE = new Counts(0, 0, 0, null);

    static Counts of(Map<String, String> h) {
      return new Counts(number(h.get("chunks")), number(h.get("bytes")), number(h.get("next")), h.get("last"));
    }

    private static long number(String s) {
      return s == null ? 0 : Long.parseLong(s);
    }
  }

  /**
   * Seals {@code plain} as chunk {@code seq} and stores it unless that seq is already there; true when
   * it was new. {@code at} is the live chunk's arrival ({@link Counts#last}), null for an upload of a finished recording.
   */
  public Future<Boolean> put(String recordingId, long seq, byte[] dataKey, byte[] plain, Instant at) {
    return vertx.executeBlocking(() -> Aead.seal(dataKey, plain, aad(recordingId, seq)), false)
        .compose(sealed -> script.run(recordingId, seq, sealed, plain.length, at))
        .map(r -> r.stored());
  }

  public Future<Counts> counts(String recordingId) {
    return redis.<Map<String, String>>call(c -> c.hgetall(Keys.recordingCounts(recordingId))).map(Counts::of);
  }

  /** Chunk {@code seq} opened, or null where that seq was never stored. */
  public Future<Buffer> open(String recordingId, long seq, byte[] dataKey) {
    return redis.<byte[]>binary(c -> c.get(Keys.recordingChunk(recordingId, seq))).compose(sealed -> sealed == null
        ? Future.succeededFuture(null)
        : vertx.executeBlocking(() -> Buffer.buffer(Aead.open(dataKey, sealed, aad(recordingId, seq))), false));
  }

  /** Deletes the chunks (retention); the counters stay, as what the recording was. */
  public Future<Void> deleteChunks(String recordingId) {
    return counts(recordingId).compose(n -> deleteChunks(recordingId, n.next()));
  }

  /** Deletes the chunks, the counters and the recording's link to its call: as if it had never been stored. */
  public Future<Void> forget(String recordingId) {
    return deleteChunks(recordingId)
        .compose(v -> redis.<Long>call(c -> c.del(Keys.recordingCounts(recordingId), Keys.recordingCall(recordingId))))
        .mapEmpty();
  }

  private Future<Void> deleteChunks(String recordingId, long next) {
    Future<Void> chain = Future.succeededFuture();
    for (long from = 0; from < next; from += DELETE_BATCH) {
      List<String> keys = new ArrayList<>();
      for (long i = from; i < Math.min(next, from + DELETE_BATCH); i++) {
        keys.add(Keys.recordingChunk(recordingId, i));
      }
      chain = chain.compose(v -> redis.<Long>call(c -> c.del(keys.toArray(String[]::new)))).mapEmpty();
    }
    return chain;
  }

  private static byte[] aad(String recordingId, long seq) {
    return (recordingId + ":" + seq).getBytes(StandardCharsets.UTF_8);
  }
}
